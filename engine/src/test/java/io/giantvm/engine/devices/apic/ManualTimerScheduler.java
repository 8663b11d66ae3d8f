package io.giantvm.engine.devices.apic;

import java.util.PriorityQueue;

/**
 * A clock that only moves when a test says so. {@link #advance} runs every task that falls due,
 * in deadline order, with the clock set to each task's own deadline while it runs, so tests see
 * exactly what a perfectly punctual host timer would do, and never sleep.
 */
final class ManualTimerScheduler implements TimerScheduler {
    /** Guards against a test that re-arms forever within one advance. */
    private static final int MAX_TASKS_PER_ADVANCE = 1_000_000;

    private final class Task implements Scheduled {
        final long deadline;
        final long order;
        final Runnable body;

        Task(long deadline, long order, Runnable body) {
            this.deadline = deadline;
            this.order = order;
            this.body = body;
        }

        @Override
        public void cancel() {
            if (honourCancel) {
                queue.remove(this);
            }
        }
    }

    private final PriorityQueue<Task> queue = new PriorityQueue<>(
            (a, b) -> a.deadline != b.deadline ? Long.compare(a.deadline, b.deadline) : Long.compare(a.order, b.order));
    private final boolean honourCancel;
    private long now;
    private long scheduledCount;

    /** Starts at an arbitrary non-zero time: nothing may assume the clock starts at 0. */
    ManualTimerScheduler() {
        this(true);
    }

    /**
     * {@code honourCancel = false} models the race where a host timer has already started when it
     * is cancelled: every task runs, and the APIC must ignore the superseded ones itself.
     */
    ManualTimerScheduler(boolean honourCancel) {
        this.honourCancel = honourCancel;
        this.now = 1_000_000_000L;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public Scheduled schedule(long deadlineNanos, Runnable task) {
        Task t = new Task(deadlineNanos, scheduledCount++, task);
        queue.add(t);
        return t;
    }

    /** Moves the clock forward by {@code nanos}, running due tasks on the way. */
    void advance(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("time only moves forward, got " + nanos);
        }
        long target = now + nanos;
        int ran = 0;
        while (!queue.isEmpty() && queue.peek().deadline <= target) {
            Task t = queue.poll();
            now = Math.max(now, t.deadline);
            if (++ran > MAX_TASKS_PER_ADVANCE) {
                throw new IllegalStateException("more than " + MAX_TASKS_PER_ADVANCE + " timer tasks in one advance");
            }
            t.body.run();
        }
        now = target;
    }

    /** Tasks waiting to run (cancelled ones are removed at once). */
    int pendingTasks() {
        return queue.size();
    }
}
