package io.giantvm.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One of {@code bench paper}'s runs as a child {@code giantvm run ... --json} process of its own, so that a run that
 * crashes, hangs or is killed takes nothing else with it. Its stdout (the JSON) is kept; its stderr (the guest
 * console, the launcher's lines) goes to a log file, and the lines that say how far it got — /init's
 * {@code @@GIANTVM} reports and the launcher's own {@code giantvm:} lines — are shown as progress. A run that
 * outlives its timeout and the start-up slack is ended with all its node processes.
 */
final class PaperChild {
    /**
     * On top of the run's own guest timeout: JVM start, the nodes' mesh wait (up to 5 min for Linux) and the
     * launcher's own backstop (5 min), which end the run themselves before this does.
     */
    static final Duration SLACK = DistributedRun.LINUX_MESH_TIMEOUT.plus(Duration.ofMinutes(10));
    /** How long a child asked to stop (its shutdown hook ends its nodes) gets before it is killed. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final int LAST_LINES = 25;
    private static final Duration HEARTBEAT = Duration.ofMinutes(1);

    private PaperChild() {}

    /** Runs {@code run} to its end; {@code env} goes to the child (the prebuilt guest); progress on {@code progress}. */
    static PaperRunResult execute(PaperRun run, PaperOptions o, Map<String, String> env, Path log, String tag,
                                  PrintStream progress) throws InterruptedException {
        List<String> command = NodeProcesses.javaCommand(run.runArguments(o));
        Process p;
        try {
            ProcessBuilder b = new ProcessBuilder(command);
            b.environment().putAll(env);
            p = b.start();
            p.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the run '" + run.label() + "': " + e.getMessage(), e);
        }
        Thread cleanup = Thread.ofPlatform().unstarted(() -> stop(p)); // Ctrl-C of the bench ends the run too
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            Thread out = Thread.ofPlatform().daemon().name("paper-stdout").start(() -> copy(p, stdout));
            Deque<String> last = new ArrayDeque<>();
            Thread err = Thread.ofPlatform().daemon().name("paper-stderr").start(() -> follow(p, log, tag, progress, last));
            Duration limit = Duration.ofSeconds(o.timeoutSeconds()).plus(SLACK);
            long start = System.nanoTime();
            boolean ended = false;
            while (!ended && System.nanoTime() - start < limit.toNanos()) {
                ended = p.waitFor(Math.min(HEARTBEAT.toMillis(), limit.toMillis()), TimeUnit.MILLISECONDS);
                if (!ended) {
                    progress.printf("%s still running, %d s%n", tag, Duration.ofNanos(System.nanoTime() - start).toSeconds());
                }
            }
            if (!ended) {
                progress.printf("%s did not end within %d s (its timeout plus %d s of start-up slack): stopping it and its nodes%n",
                        tag, limit.toSeconds(), SLACK.toSeconds());
                stop(p);
            }
            out.join();
            err.join();
            List<String> lastLines;
            synchronized (last) {
                lastLines = List.copyOf(last);
            }
            return new PaperRunResult(run, ended ? p.exitValue() : Main.EXIT_FAILED, parse(stdout.toString(StandardCharsets.UTF_8)),
                    ended ? lastLines : append(lastLines, "killed after " + limit.toSeconds() + " s"));
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook runs
            }
        }
    }

    /** The JSON the run printed, or null when it printed none (it failed before its results). */
    static JsonNode parse(String stdout) {
        if (stdout.isBlank()) {
            return null;
        }
        try {
            return NodeStatsJson.MAPPER.readTree(stdout);
        } catch (IOException e) {
            return null;
        }
    }

    /** Asks the child to stop (its own hook ends its node processes), then kills whatever of its tree is left. */
    private static void stop(Process p) {
        List<ProcessHandle> tree = p.descendants().toList();
        p.destroy();
        try {
            if (!p.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static void copy(Process p, ByteArrayOutputStream to) {
        try {
            p.getInputStream().transferTo(to);
        } catch (IOException e) {
            // the child ended: what arrived is what there is
        }
    }

    private static void follow(Process p, Path log, String tag, PrintStream progress, Deque<String> last) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
             PrintWriter w = new PrintWriter(Files.newBufferedWriter(log), true)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                w.println(line);
                progressLine(line).ifPresent(l -> progress.println(tag + " " + l));
                synchronized (last) {
                    last.addLast(line);
                    if (last.size() > LAST_LINES) {
                        last.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            progress.println(tag + " (its output could not be logged to " + log + ": " + e.getMessage() + ")");
        }
    }

    /** What of a child's stderr line is worth showing while it runs: /init's reports and the launcher's own lines. */
    static Optional<String> progressLine(String line) {
        int at = line.indexOf("@@GIANTVM ");
        if (at >= 0) {
            return Optional.of(line.substring(at + "@@GIANTVM ".length()));
        }
        return line.startsWith("giantvm: ") ? Optional.of(line.substring("giantvm: ".length())) : Optional.empty();
    }

    private static List<String> append(List<String> lines, String line) {
        List<String> l = new ArrayList<>(lines);
        l.add(line);
        return l;
    }
}
