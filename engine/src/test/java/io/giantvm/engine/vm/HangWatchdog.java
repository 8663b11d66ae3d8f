package io.giantvm.engine.vm;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Ends a test JVM that has been on one test far longer than any test's own bounds allow, after printing what
 * every thread was doing — Java stacks, and the kernel stack of every task (a vCPU stuck inside KVM_RUN only
 * shows there). A hang then reads as a diagnosis and a failure instead of a silent outer timeout.
 */
final class HangWatchdog implements AutoCloseable {
    private final Duration limit;
    private final PrintStream out;
    private final Runnable onHang;
    private volatile String current;
    private volatile long since;
    private final Thread thread;

    /** Halts the JVM on a hang: stuck threads may sit in the kernel, where a normal exit could wait on them. */
    HangWatchdog(Duration limit, PrintStream out) {
        this(limit, out, () -> Runtime.getRuntime().halt(3));
    }

    HangWatchdog(Duration limit, PrintStream out, Runnable onHang) {
        this.limit = limit;
        this.out = out;
        this.onHang = onHang;
        this.thread = Thread.ofPlatform().daemon().name("hang-watchdog").start(this::watch);
    }

    @Override
    public void close() {
        thread.interrupt();
    }

    void started(String test) {
        since = System.nanoTime();
        current = test;
    }

    void finished() {
        current = null;
    }

    private void watch() {
        long poll = Math.clamp(limit.toMillis() / 10, 10, 1_000);
        while (true) {
            try {
                Thread.sleep(poll);
            } catch (InterruptedException e) {
                return;
            }
            String test = current;
            if (test != null && System.nanoTime() - since > limit.toNanos()) {
                out.printf("kvm-suite: HUNG    %s: still running after %.1f s; every thread:%n", test, limit.toMillis() / 1e3);
                dumpJavaStacks();
                dumpKernelStacks();
                out.flush();
                current = null;
                onHang.run();
            }
        }
    }

    private void dumpJavaStacks() {
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            out.printf("  \"%s\" %s%n", e.getKey().getName(), e.getKey().getState());
            for (StackTraceElement frame : e.getValue()) {
                out.println("      at " + frame);
            }
        }
    }

    /** /proc/self/task/N/stack needs root; where it cannot be read, says so once. */
    private void dumpKernelStacks() {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.sorted().toList()) {
                String comm = Files.readString(task.resolve("comm")).strip();
                String stack = Files.readString(task.resolve("stack")).strip();
                if (!stack.isEmpty()) {
                    out.printf("  task %s (%s) kernel stack:%n    %s%n", task.getFileName(), comm, stack.replace("\n", "\n    "));
                }
            }
        } catch (IOException e) {
            out.println("  (kernel stacks not readable: " + e.getMessage() + ")");
        }
    }
}
