package io.giantvm.engine.dsm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A {@link Hold} on the simulation's own clock: time moves only when the test says, and the held steps run on the
 * test's thread when it fires them, so a simulated schedule decides exactly what happens before a hold ends.
 */
final class SimHold implements Hold {
    private final long minNanos;
    private long now = 1;
    private final List<long[]> dueAt = new ArrayList<>(); // {due, index into tasks}
    private final List<Runnable> tasks = new ArrayList<>();

    SimHold(long minNanos) {
        this.minNanos = minNanos;
    }

    @Override
    public long minNanos() {
        return minNanos;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void after(long delayNanos, Runnable task) {
        dueAt.add(new long[] {now + delayNanos, tasks.size()});
        tasks.add(task);
    }

    int pending() {
        return dueAt.size();
    }

    /** Moves the clock to the earliest pending hold's end and runs it. */
    void fireNext() {
        long[] next = dueAt.stream().min(Comparator.comparingLong(d -> d[0])).orElseThrow();
        dueAt.remove(next);
        now = Math.max(now, next[0]);
        tasks.get((int) next[1]).run();
    }

    /** Time passes without a hold ending (a vCPU ran, a frame travelled). */
    void advance(long nanos) {
        now += nanos;
    }
}
