package io.giantvm.engine.clock;

/**
 * One clock exchange with node 0: this node's clock when it asked ({@code sentNanos}) and when the answer
 * came ({@code receivedNanos}), and node 0's clock when it answered. Assuming the answer was made halfway,
 * node 0's clock runs {@link #offsetNanos()} ahead of ours, give or take half the round trip.
 */
public record ClockSample(long sentNanos, long remoteNanos, long receivedNanos) {

    public long roundTripNanos() {
        return receivedNanos - sentNanos;
    }

    public long offsetNanos() {
        return remoteNanos - (sentNanos + (receivedNanos - sentNanos) / 2);
    }
}
