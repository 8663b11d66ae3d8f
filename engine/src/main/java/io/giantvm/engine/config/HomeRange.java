package io.giantvm.engine.config;

/** Guest-physical bytes [start, end) whose DSM manager is {@code node}. */
public record HomeRange(int node, long start, long end) {
    public long size() {
        return end - start;
    }
}
