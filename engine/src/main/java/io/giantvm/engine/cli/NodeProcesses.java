package io.giantvm.engine.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The node processes of one {@code giantvm run --nodes N}, started with the same java and class path as this
 * process. Their output is copied to ours by named pump threads (the guest console comes from the I/O node's
 * stdout). Every child is killed when this object closes, when this JVM exits (a shutdown hook: Ctrl-C), and
 * by {@link #awaitAll} once one node has died and the others did not stop on their own within the grace.
 */
final class NodeProcesses implements AutoCloseable {
    /** How long the surviving nodes get to notice a dead peer and stop by themselves before they are killed. */
    static final Duration SURVIVOR_GRACE = Duration.ofSeconds(5);
    private static final long POLL_MILLIS = 50;

    /** One node's process and how it ended. */
    record Node(int id, Process process, List<Thread> pumps) {}

    /** How the group ended: every exit code, and the first node that died abnormally while the others ran. */
    record Ending(int[] exitCodes, int firstDead, boolean killedAfterGrace, boolean timedOut) {
        boolean allOk() {
            for (int c : exitCodes) {
                if (c != 0) {
                    return false;
                }
            }
            return !timedOut;
        }
    }

    private final List<Node> nodes = new ArrayList<>();
    private final Thread hook = Thread.ofPlatform().name("giantvm-run-cleanup").unstarted(this::killAll);

    NodeProcesses() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The command that runs {@code giantvm <args>} in a fresh JVM like this one. */
    static List<String> javaCommand(List<String> args) {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xss4m"));
        // The launcher's own VM tuning (e.g. -XX:TieredStopAtLevel=1 under emulation) applies to its nodes too.
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-XX:") && !cmd.contains(a)).forEach(cmd::add);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        return cmd;
    }

    void start(int id, List<String> command, PrintStream out, PrintStream err) {
        start(id, command, java.util.Map.of(), out, err);
    }

    /** With {@code env} added to this process's environment. */
    void start(int id, List<String> command, java.util.Map<String, String> env, PrintStream out, PrintStream err) {
        Process p;
        try {
            ProcessBuilder b = new ProcessBuilder(command);
            b.environment().putAll(env);
            p = b.start();
            p.getOutputStream().close(); // nodes read nothing: give them end-of-file on stdin
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start node " + id + " (" + command.getFirst() + "): " + e.getMessage(), e);
        }
        nodes.add(new Node(id, p, List.of(pump("node-" + id + "-stdout", p.getInputStream(), out),
                pump("node-" + id + "-stderr", p.getErrorStream(), err))));
    }

    List<Node> nodes() {
        return List.copyOf(nodes);
    }

    /**
     * Waits until every node has exited. Once one exits with a failure, the others get {@link #SURVIVOR_GRACE}
     * to stop by themselves (they see the lost peer within a second) before they are killed; after
     * {@code limit} in all, everything is killed.
     */
    Ending awaitAll(Duration limit) throws InterruptedException {
        return awaitAll(limit, SURVIVOR_GRACE);
    }

    Ending awaitAll(Duration limit, Duration survivorGrace) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        int firstDead = -1;
        long graceEnd = Long.MAX_VALUE;
        boolean killedAfterGrace = false;
        boolean timedOut = false;
        while (true) {
            boolean allDone = true;
            int deadNow = -1;
            for (Node n : nodes) {
                if (n.process().isAlive()) {
                    allDone = false;
                } else if (firstDead < 0 && !killedAfterGrace && !timedOut && n.process().exitValue() != 0
                        && (deadNow < 0 || n.process().exitValue() > 128 && nodes.get(deadNow).process().exitValue() <= 128)) {
                    // Within one poll, a node killed by a signal is the cause; nodes exiting 1 are its survivors.
                    deadNow = n.id();
                }
            }
            if (deadNow >= 0) {
                firstDead = deadNow;
                graceEnd = System.nanoTime() + survivorGrace.toNanos();
            }
            if (allDone) {
                break;
            }
            long now = System.nanoTime();
            if (now > graceEnd && !killedAfterGrace) {
                killedAfterGrace = true;
                killAll();
            } else if (now > deadline && !timedOut) {
                timedOut = true;
                killAll();
            }
            Thread.sleep(POLL_MILLIS);
        }
        for (Node n : nodes) {
            for (Thread pump : n.pumps()) {
                pump.join(TimeUnit.SECONDS.toMillis(2)); // the rest of the output, e.g. a node's last error line
            }
        }
        int[] codes = nodes.stream().mapToInt(n -> n.process().exitValue()).toArray();
        return new Ending(codes, firstDead, killedAfterGrace, timedOut);
    }

    /** "exited with status 1", "was killed by signal 9": how a child ended, in words. */
    static String describeExit(int code) {
        return code > 128 && code < 160 ? "was killed by signal " + (code - 128) : "exited with status " + code;
    }

    private void killAll() {
        for (Node n : nodes) {
            n.process().descendants().forEach(ProcessHandle::destroyForcibly);
            n.process().destroyForcibly();
        }
        for (Node n : nodes) {
            try {
                n.process().waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Thread pump(String name, InputStream from, OutputStream to) {
        return Thread.ofPlatform().name(name).daemon().start(() -> {
            byte[] buf = new byte[8192];
            try (from) {
                int n;
                while ((n = from.read(buf)) > 0) {
                    synchronized (to) {
                        to.write(buf, 0, n);
                        to.flush();
                    }
                }
            } catch (IOException e) {
                // the child is gone; its exit status tells the story
            }
        });
    }

    @Override
    public void close() {
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running or has run
        }
    }
}
