package io.giantvm.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.giantvm.engine.config.GuestSpec;
import io.giantvm.engine.config.VmDescription;
import io.giantvm.engine.config.VmDescriptionWriter;
import io.giantvm.engine.config.Workload;
import io.giantvm.engine.guest.GuestAbi;
import io.giantvm.engine.guest.WorkloadSpec;
import io.giantvm.engine.kvm.Kvm;
import io.giantvm.engine.mesh.MeshLayout;
import io.giantvm.engine.vm.RunOutcome;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * {@code giantvm run --nodes N}: one VM over N node processes on this machine. Writes a loopback VM
 * description into a temporary directory, starts {@code giantvm node} N times, shows the I/O node's console,
 * then the same results table as a single-node run and each node's statistics. Children never outlive it.
 */
final class DistributedRun {
    /**
     * Backstop on top of the nodes' own bounds (mesh timeout, guest timeout), for JVM start and the orderly exit.
     * Generous: the nodes end themselves; under nested emulation a JVM alone takes minutes to start, and a
     * 3-node run was once killed by a 60 s slack right after the guest had finished.
     */
    private static final Duration LAUNCH_SLACK = Duration.ofMinutes(5);
    /**
     * How long the nodes of a Linux run wait for each other: node 0 first reads the kernel and a ~9 MB initrd
     * (and checks the default guest's build), which under nested emulation took longer than the usual 60 s while
     * node 1 waited ("node 1 cannot reach node 0").
     */
    static final Duration LINUX_MESH_TIMEOUT = Duration.ofMinutes(5);
    /** Loopback ports are chosen below Linux's ephemeral range, so outgoing connections never take them. */
    private static final int PORT_LOW = 20000;
    private static final int PORT_HIGH = 32000;

    private DistributedRun() {}

    static int execute(int nodes, int vcpusPerNode, long memory, WorkloadSpec spec, Map<String, String> workloadOptions,
                       int timeoutSeconds, boolean json, boolean numa, PrintStream out, PrintStream err) throws InterruptedException {
        Optional<Workload> workload = Optional.of(new Workload(spec.workload().cliName(), workloadOptions));
        return run(nodes, vcpusPerNode, memory, workload, Optional.empty(), numa, Map.of(), timeoutSeconds, json ? err : out, err,
                (d, ending, results, stats) -> report(d, spec, ending, results, stats, json, out, err));
    }

    /** What a launcher makes of the nodes' ending, their results file and their statistics files; returns the exit code. */
    interface Reporter {
        int report(VmDescription d, NodeProcesses.Ending ending, Path results, List<Path> stats);
    }

    /**
     * Runs one VM of {@code nodes} node processes on this host, with the bundled guest's {@code workload} or a
     * Linux {@code guest} (told each node is a NUMA node when {@code numa}), and hands how it went to
     * {@code reporter}. {@code console} shows the I/O node's console; {@code env} is added to the nodes' environment.
     */
    static int run(int nodes, int vcpusPerNode, long memory, Optional<Workload> workload, Optional<GuestSpec> guest, boolean numa,
                   Map<String, String> env, int timeoutSeconds, PrintStream console, PrintStream err, Reporter reporter) throws InterruptedException {
        // Every node runs here: say once, before starting any, when this machine cannot run guests at all.
        try (Kvm ignored = Kvm.open()) {
            // KVM is there; each node opens its own
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("giantvm-run-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a temporary directory for the VM description: " + e.getMessage(), e);
        }
        try {
            return launch(dir, nodes, vcpusPerNode, memory, workload, guest, numa, env, timeoutSeconds, console, err, reporter);
        } finally {
            deleteTree(dir);
        }
    }

    private static int launch(Path dir, int nodes, int vcpusPerNode, long memory, Optional<Workload> workload,
                              Optional<GuestSpec> guest, boolean numa, Map<String, String> env, int timeoutSeconds, PrintStream console,
                              PrintStream err, Reporter reporter) throws InterruptedException {
        int base = freePortBase(2 * nodes);
        VmDescription d = VmDescriptionWriter.loopback("run-" + ProcessHandle.current().pid(), nodes, vcpusPerNode, memory,
                workload, guest, base, base + nodes).withNuma(numa);
        Path config = dir.resolve("vm.yaml");
        write(config, VmDescriptionWriter.toYaml(d));
        Path results = dir.resolve("results.json");
        List<Path> stats = new ArrayList<>();
        Duration meshTimeout = guest.isPresent() ? LINUX_MESH_TIMEOUT : MeshLayout.START_TIMEOUT;

        try (NodeProcesses children = new NodeProcesses()) {
            for (int i = 0; i < nodes; i++) {
                Path s = dir.resolve("node-" + i + "-stats.json");
                stats.add(s);
                List<String> args = new ArrayList<>(List.of("node", "--config", config.toString(), "--id", String.valueOf(i),
                        "--timeout", String.valueOf(timeoutSeconds), "--mesh-timeout", String.valueOf(meshTimeout.toSeconds()),
                        "--stats-json", s.toString(), "--quiet-stats"));
                if (i == d.ioNode()) {
                    args.addAll(List.of("--results-json", results.toString()));
                }
                children.start(i, NodeProcesses.javaCommand(args), env, console, err);
            }
            console.printf("giantvm: %d node processes (pids %s), config %s%n", nodes,
                    children.nodes().stream().map(n -> String.valueOf(n.process().pid())).toList(), config);
            NodeProcesses.Ending ending = children.awaitAll(Duration.ofSeconds(timeoutSeconds).plus(meshTimeout).plus(LAUNCH_SLACK));
            return reporter.report(d, ending, results, stats);
        }
    }

    /** The nodes' statistics that were written, and the I/O node's outcome (null when it left none). */
    record Gathered(List<JsonNode> stats, RunOutcome outcome) {}

    static Gathered gather(List<Path> statsFiles, Path results, PrintStream err) {
        List<JsonNode> stats = new ArrayList<>();
        List<Map<String, Long>> exits = new ArrayList<>();
        for (Path f : statsFiles) {
            JsonNode s = readIfPresent(f);
            if (s != null) {
                stats.add(s);
                s.path("exitsByVcpu").properties().forEach(e -> {
                    Map<String, Long> m = new LinkedHashMap<>();
                    e.getValue().properties().forEach(x -> m.put(x.getKey(), x.getValue().asLong()));
                    exits.add(m);
                });
            }
        }
        boolean allStats = stats.size() == statsFiles.size();
        RunOutcome outcome = null;
        if (Files.exists(results)) {
            try {
                outcome = NodeResultsJson.read(results, allStats ? exits : List.of());
            } catch (IOException e) {
                err.println("giantvm: the I/O node's results are unreadable: " + e.getMessage());
            }
        }
        return new Gathered(stats, outcome);
    }

    private static int report(VmDescription d, WorkloadSpec spec, NodeProcesses.Ending ending, Path results, List<Path> statsFiles,
                              boolean json, PrintStream out, PrintStream err) {
        Gathered g = gather(statsFiles, results, err);
        RunOutcome outcome = g.outcome();
        RunResults table = outcome == null ? null : RunResults.of(spec, d.totalVcpus(), outcome);
        if (table != null) {
            if (json) {
                ResultJson.print(table, g.stats(), out);
            } else {
                ResultTable.print(table, out);
            }
        }
        printStats(d, g.stats(), json ? err : out);
        return verdict(d, ending, outcome, table == null ? null : table.problems(), err);
    }

    /** Each node's statistics lines, then whether this host's cores were oversubscribed. */
    static void printStats(VmDescription d, List<JsonNode> stats, PrintStream statsOut) {
        for (JsonNode s : stats) {
            NodeStatsJson.format(s).forEach(statsOut::println);
        }
        Oversubscription.note(d.nodeCount(), d.vcpusPerNode(), Runtime.getRuntime().availableProcessors())
                .ifPresent(statsOut::println);
    }

    /**
     * The run's exit code, with its story on {@code err}: which node died, the I/O node's failure, the guest's
     * status, or the results check's {@code problems} (null when there were no results to check).
     */
    static int verdict(VmDescription d, NodeProcesses.Ending ending, RunOutcome outcome, List<String> problems, PrintStream err) {
        int[] codes = ending.exitCodes();
        if (outcome == null && java.util.Arrays.stream(codes).allMatch(c -> c == Main.EXIT_USAGE)) {
            err.println("giantvm: no node could start (their reasons are above)");
            return Main.EXIT_USAGE;
        }
        // A node that died by a signal (or an I/O node that left no results) is the story; a node that exited 1
        // only followed the I/O node's verdict, which names the node at fault itself.
        boolean deadBySignal = ending.firstDead() >= 0 && codes[ending.firstDead()] > 128;
        if (ending.timedOut()) {
            err.println("giantvm: the node processes did not finish in time and were killed");
        } else if (deadBySignal && ending.firstDead() != d.ioNode() || outcome == null) {
            int dead = ending.firstDead() >= 0 ? ending.firstDead() : d.ioNode();
            err.println("giantvm: node " + dead + " " + NodeProcesses.describeExit(codes[dead]) + "; the VM stopped"
                    + (outcome != null && outcome.failure() != null ? " (I/O node: " + outcome.failure().getMessage() + ")" : ""));
        } else if (outcome.failure() != null) {
            err.println("giantvm: " + outcome.failure().getMessage());
        } else if (outcome.guestStatus() != 0) {
            err.println("giantvm: the guest exited with status " + outcome.guestStatus()
                    + " (" + GuestAbi.describeExitStatus(outcome.guestStatus()) + ")");
        } else if (problems != null && !problems.isEmpty()) {
            err.println("giantvm: results check failed: " + String.join("; ", problems));
        }
        if (ending.killedAfterGrace()) {
            err.println("giantvm: nodes still running " + NodeProcesses.SURVIVOR_GRACE.toSeconds() + " s after node "
                    + ending.firstDead() + " died were killed");
        }
        return ending.allOk() && problems != null && problems.isEmpty() ? Main.EXIT_OK : Main.EXIT_FAILED;
    }

    private static JsonNode readIfPresent(Path f) {
        if (!Files.exists(f)) {
            return null;
        }
        try {
            return NodeStatsJson.read(f);
        } catch (IOException e) {
            return null;
        }
    }

    /** A base port such that base .. base+count-1 are all free on loopback right now. */
    static int freePortBase(int count) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(PORT_LOW, PORT_HIGH - count);
            if (allFree(base, count)) {
                return base;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free loopback ports found in " + PORT_LOW + ".." + PORT_HIGH);
    }

    private static boolean allFree(int base, int count) {
        for (int p = base; p < base + count; p++) {
            try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                s.setReuseAddress(true);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp directory is harmless
        }
    }
}
