package io.giantvm.engine.cli;

import java.util.List;

/**
 * When the vCPUs' workloads ran, on the VM's one TSC: whether they really ran together. {@code overlap} is
 * the span in which all of them ran (latest start to earliest stop) as a fraction of the longest run; under
 * {@link #MIN_OVERLAP} the vCPUs mostly ran one after another, so aggregate figures (and any contention they
 * were meant to show) are not comparable with a run in which they competed.
 *
 * @param earliestStartTsc the TSC at which the first vCPU started, the origin of per-vCPU start/stop seconds
 */
public record RunWindow(double overlap, long earliestStartTsc) {
    public static final double MIN_OVERLAP = 0.95;

    /** Start and stop TSC of each vCPU's workload. */
    public record Span(long startTsc, long stopTsc) {
        long cycles() {
            return stopTsc - startTsc;
        }
    }

    /** {@code null} when there is nothing to compare (no spans). */
    public static RunWindow of(List<Span> spans) {
        if (spans.isEmpty()) {
            return null;
        }
        long latestStart = Long.MIN_VALUE, earliestStop = Long.MAX_VALUE, earliestStart = Long.MAX_VALUE, longest = 0;
        for (Span s : spans) {
            latestStart = Math.max(latestStart, s.startTsc());
            earliestStart = Math.min(earliestStart, s.startTsc());
            earliestStop = Math.min(earliestStop, s.stopTsc());
            longest = Math.max(longest, s.cycles());
        }
        double overlap = longest <= 0 ? 1.0 : Math.max(0, earliestStop - latestStart) / (double) longest;
        return new RunWindow(overlap, earliestStart);
    }

    public boolean together() {
        return overlap >= MIN_OVERLAP;
    }
}
