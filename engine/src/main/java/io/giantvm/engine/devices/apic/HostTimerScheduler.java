package io.giantvm.engine.devices.apic;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Host timers for every local APIC of this engine, on one daemon thread named "apic-timer".
 * One thread is enough: a task only sets an IRR bit and wakes a vCPU. Daemon, so that a VM that
 * ends without closing it does not keep the JVM alive; {@link #close()} still stops it promptly.
 */
public final class HostTimerScheduler implements TimerScheduler, AutoCloseable {
    static final String THREAD_NAME = "apic-timer";
    private static final long SHUTDOWN_WAIT_MILLIS = 2_000;

    private final ScheduledThreadPoolExecutor executor;

    public HostTimerScheduler() {
        executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread t = new Thread(runnable, THREAD_NAME);
            t.setDaemon(true);
            return t;
        });
        // Guests re-arm timers constantly (every initial-count write cancels the previous one):
        // without this, cancelled tasks would pile up in the queue until their deadline.
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Scheduled schedule(long deadlineNanos, Runnable task) {
        long delay = Math.max(0, deadlineNanos - System.nanoTime());
        ScheduledFuture<?> future = executor.schedule(() -> runReportingBugs(task), delay, TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    /** The executor would park a task's exception in its unread future; a bug must show instead. */
    private static void runReportingBugs(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            Thread current = Thread.currentThread();
            current.getUncaughtExceptionHandler().uncaughtException(current, t);
        }
    }

    /**
     * Stops the thread; pending timers never fire. Waits a bounded time for a running task.
     * Close it after the vCPUs have stopped: a guest that re-arms its timer afterwards would get
     * a RejectedExecutionException on its vCPU thread.
     */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(SHUTDOWN_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(THREAD_NAME + " thread did not stop within " + SHUTDOWN_WAIT_MILLIS + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
