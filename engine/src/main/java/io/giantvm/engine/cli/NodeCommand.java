package io.giantvm.engine.cli;

import io.giantvm.engine.config.VmDescription;
import io.giantvm.engine.config.VmDescriptionParser;
import io.giantvm.engine.config.Workload;
import io.giantvm.engine.control.ControlServer;
import io.giantvm.engine.cpu.GuestCrashException;
import io.giantvm.engine.dsm.DsmLayout;
import io.giantvm.engine.guest.BundledGuest;
import io.giantvm.engine.guest.GuestAbi;
import io.giantvm.engine.guest.Sizes;
import io.giantvm.engine.guest.WorkloadSpec;
import io.giantvm.engine.mesh.MeshLayout;
import io.giantvm.engine.vm.GuestTimeoutException;
import io.giantvm.engine.vm.NodeFailureException;
import io.giantvm.engine.vm.NodeMachine;
import io.giantvm.engine.vm.NodeOutcome;
import io.giantvm.engine.vm.NodeSpec;
import io.giantvm.engine.vm.RunOutcome;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code giantvm node}: one hypervisor instance of a distributed VM, what one pod runs. */
final class NodeCommand {
    private static final Set<String> VALUED = Set.of("config", "id", "timeout", "mesh-timeout", "stats-json", "results-json");
    private static final Set<String> FLAGS = Set.of("quiet-stats");

    static final String USAGE = """
            giantvm node --config FILE --id I [--timeout S] [--mesh-timeout S] [--stats-json FILE] [--results-json FILE]
              --config FILE        the VM description (engine/VM-DESCRIPTION.md), the same file on every node
              --id I               which of its nodes this process is
              --timeout S          give up S seconds after the mesh is up (default 600)
              --mesh-timeout S     give up if the other nodes are not all connected within S seconds (default 60)
              --stats-json FILE    also write this node's statistics as JSON
              --results-json FILE  (I/O node) write the guest's status and reports as JSON
              --quiet-stats        do not print the statistics (for a launcher that prints them itself)""";

    private NodeCommand() {}

    static int execute(List<String> args, PrintStream out, PrintStream err) throws InterruptedException {
        Options o = Options.parse("node", args, VALUED, FLAGS, Set.of());
        if (!o.has("config") || !o.has("id")) {
            throw new UsageException("node needs --config FILE and --id I");
        }
        VmDescription d = VmDescriptionParser.parse(Path.of(o.get("config", "")));
        int id = o.getInt("id", 0, 0, d.nodeCount() - 1);
        int timeout = o.getInt("timeout", RunCommand.DEFAULT_TIMEOUT_SECONDS, 1, 7 * 24 * 3600);
        int meshTimeout = o.getInt("mesh-timeout", (int) MeshLayout.START_TIMEOUT.toSeconds(), 1, 24 * 3600);
        Workload w = d.workload().orElse(new Workload(RunCommand.DEFAULT_WORKLOAD, Map.of()));
        WorkloadSpec spec = WorkloadSpec.parse(w.name(), w.options());
        int vcpus = d.totalVcpus();
        if (vcpus > GuestAbi.MAX_VCPUS) {
            throw new UsageException("the VM has %d vCPUs; the bundled guest runs at most %d".formatted(vcpus, GuestAbi.MAX_VCPUS));
        }
        long needed = spec.minimumMemoryBytes(vcpus);
        if (d.memoryBytes() < needed) {
            throw new UsageException("memory %s is too small for workload %s on %d vCPUs: it needs at least %s"
                    .formatted(Sizes.format(d.memoryBytes()), w.name(), vcpus, Sizes.format(needed)));
        }
        String who = "giantvm node " + id;
        NodeSpec nodeSpec = new NodeSpec(d, id, BundledGuest.image(), spec.toKernelCommandLine(vcpus), out, DsmLayout.DEFAULT_FAULT_TIMEOUT);
        if (nodeSpec.isIoNode()) {
            out.printf("%s: VM %s, %d nodes x %d vCPUs, %s RAM, workload %s%n", who, d.name(), d.nodeCount(),
                    d.vcpusPerNode(), Sizes.format(d.memoryBytes()), spec.toKernelCommandLine(vcpus));
        }
        NodeOutcome outcome;
        try (NodeMachine machine = NodeMachine.create(nodeSpec);
             ControlServer control = ControlServer.start(
                     new InetSocketAddress(d.node(id).controlPort()), machine.controlStatus())) {
            outcome = machine.run(Duration.ofSeconds(meshTimeout), Duration.ofSeconds(timeout));
        }
        var stats = NodeStatsJson.of(id, outcome);
        if (o.has("stats-json")) {
            NodeStatsJson.write(stats, Path.of(o.get("stats-json", "")));
        }
        if (o.has("results-json")) {
            NodeResultsJson.write(outcome.run(), Path.of(o.get("results-json", "")));
        }
        if (!o.has("quiet-stats")) {
            NodeStatsJson.format(stats).forEach(out::println);
        }
        return verdict(who, outcome.run(), err);
    }

    private static int verdict(String who, RunOutcome run, PrintStream err) {
        Throwable f = run.failure();
        if (f instanceof NodeFailureException || f instanceof GuestCrashException || f instanceof GuestTimeoutException) {
            err.println(who + ": " + f.getMessage());
            return Main.EXIT_FAILED;
        }
        if (f != null) { // an engine bug: keep the whole trace
            err.println(who + ": engine failure while running the guest:");
            f.printStackTrace(err);
            return Main.EXIT_FAILED;
        }
        if (run.guestStatus() != 0) {
            err.println(who + ": the guest exited with status " + run.guestStatus() + " (" + GuestAbi.describeExitStatus(run.guestStatus()) + ")");
            return Main.EXIT_FAILED;
        }
        return Main.EXIT_OK;
    }
}
