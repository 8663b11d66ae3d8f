package io.giantvm.engine.devices.apic;

/**
 * The clock and host timers behind the APIC timer, injectable so that tests drive time by hand
 * and never sleep. Times are nanoseconds on a monotonic clock (like {@link System#nanoTime()}),
 * comparable only with each other.
 *
 * <p>Lock order: a {@link LocalApic} calls {@link #schedule} and {@link Scheduled#cancel} while
 * holding its own lock, so an implementation must run due tasks without holding any lock a
 * task could need (tasks take an APIC lock).
 */
public interface TimerScheduler {
    long nanoTime();

    /** Runs {@code task} once, at or soon after {@code deadlineNanos} (at once if it is past). */
    Scheduled schedule(long deadlineNanos, Runnable task);

    /** A pending task. */
    interface Scheduled {
        /** Best effort: a task that has already started may still run; callers must tolerate it. */
        void cancel();
    }
}
