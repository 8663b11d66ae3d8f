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

    /**
     * The offset to apply: 0 when the clocks agree within what this sample can tell (half its round trip), since
     * then they are one clock (nodes on one host) or synchronised better than a mesh round trip can measure (NTP
     * or PTP between machines), and correcting by the estimate would only add its error (seen under nested
     * emulation: -6 ms "offset" between two processes of one host, measured with a 17 ms round trip).
     */
    public long offsetWithinItsError() {
        long offset = offsetNanos();
        return Math.abs(offset) <= roundTripNanos() / 2 ? 0 : offset;
    }
}
