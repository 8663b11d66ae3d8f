package io.giantvm.engine.cli;

import io.giantvm.engine.config.GuestSpec;
import io.giantvm.engine.config.VmDescription;
import io.giantvm.engine.config.VmDescriptionParser;
import io.giantvm.engine.config.Workload;
import io.giantvm.engine.control.ControlServer;
import io.giantvm.engine.control.EngineStatus;
import io.giantvm.engine.control.GuestOutcome;
import io.giantvm.engine.control.StatusRelay;
import io.giantvm.engine.cpu.GuestCrashException;
import io.giantvm.engine.dsm.DsmLayout;
import io.giantvm.engine.guest.BundledGuest;
import io.giantvm.engine.guest.GuestAbi;
import io.giantvm.engine.guest.Sizes;
import io.giantvm.engine.guest.WorkloadSpec;
import io.giantvm.engine.linux.ConsoleTap;
import io.giantvm.engine.linux.InitReport;
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
    private static final Set<String> FLAGS = Set.of("quiet-stats", "stay-up");

    static final String USAGE = """
            giantvm node --config FILE --id I [--stay-up] [--timeout S] [--mesh-timeout S] [--stats-json FILE] [--results-json FILE]
              --config FILE        the VM description (engine/VM-DESCRIPTION.md), the same file on every node
              --id I               which of its nodes this process is
              --stay-up            what a Kubernetes pod runs: never exit by itself. Wait for peers without a
                                   deadline, and once the guest stops report how it ended on the control API
                                   and wait until terminated (the operator restarts the whole VM or keeps the result)
              --timeout S          give up S seconds after the mesh is up (default 600; none with --stay-up)
              --mesh-timeout S     give up if the other nodes are not all connected within S seconds (default 60;
                                   none with --stay-up)
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
        boolean stayUp = o.has("stay-up");
        Duration timeout = !o.has("timeout") && stayUp ? NodeLifecycle.FOREVER
                : Duration.ofSeconds(o.getInt("timeout", RunCommand.DEFAULT_TIMEOUT_SECONDS, 1, 7 * 24 * 3600));
        Duration meshTimeout = !o.has("mesh-timeout") && stayUp ? NodeLifecycle.FOREVER
                : Duration.ofSeconds(o.getInt("mesh-timeout", (int) MeshLayout.START_TIMEOUT.toSeconds(), 1, 24 * 3600));
        String who = "giantvm node " + id;
        Guest guest = d.guest().isPresent() ? linuxGuest(d, id, out) : bundledGuest(d, id, out);
        NodeSpec nodeSpec = guest.spec();
        StatusRelay status = new StatusRelay(NodeLifecycle.starting(d, id));
        try (ControlServer control = ControlServer.start(new InetSocketAddress(d.node(id).controlPort()), status)) {
            NodeOutcome outcome;
            EngineStatus last;
            Map<String, Long> counters;
            try (NodeMachine machine = NodeMachine.create(nodeSpec)) {
                status.follow(NodeLifecycle.naming(machine.controlStatus(), d, id));
                outcome = machine.run(meshTimeout, timeout);
                last = machine.controlStatus().status();
                counters = machine.controlStatus().counters();
            }
            var stats = NodeStatsJson.of(id, outcome);
            if (o.has("stats-json")) {
                NodeStatsJson.write(stats, Path.of(o.get("stats-json", "")));
            }
            if (o.has("results-json")) {
                NodeResultsJson.write(outcome.run(), guest.console(), Path.of(o.get("results-json", "")));
            }
            if (!o.has("quiet-stats")) {
                NodeStatsJson.format(stats).forEach(out::println);
            }
            int verdict = verdict(who, outcome.run(), err);
            if (!stayUp) {
                return verdict;
            }
            GuestOutcome how = guest.outcome().apply(outcome.run());
            status.follow(StatusRelay.fixed(last.ended(how), counters));
            out.println(who + ": guest " + (how.succeeded() ? "succeeded" : "failed") + ": " + how.result()
                    + "; reporting it on the control port until terminated");
            out.flush();
            NodeLifecycle.serveUntilTerminated();
            return verdict;
        }
    }

    /**
     * What differs between the bundled guest and Linux on a node: its spec, how its outcome reads on the
     * control API, and (Linux's I/O node) what its console said, for the results file.
     */
    private record Guest(NodeSpec spec, java.util.function.Function<RunOutcome, GuestOutcome> outcome,
                         java.util.function.Supplier<NodeResultsJson.LinuxConsole> consoleSupplier) {
        NodeResultsJson.LinuxConsole console() {
            return consoleSupplier.get();
        }
    }

    private static Guest bundledGuest(VmDescription d, int id, PrintStream out) {
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
        NodeSpec nodeSpec = new NodeSpec(d, id, BundledGuest.image(), spec.toKernelCommandLine(vcpus), out, DsmLayout.DEFAULT_FAULT_TIMEOUT);
        if (nodeSpec.isIoNode()) {
            out.printf("giantvm node %d: VM %s, %d nodes x %d vCPUs, %s RAM, workload %s%n", id, d.name(), d.nodeCount(),
                    d.vcpusPerNode(), Sizes.format(d.memoryBytes()), spec.toKernelCommandLine(vcpus));
        }
        return new Guest(nodeSpec, run -> NodeLifecycle.outcome(run, spec, vcpus, nodeSpec.isIoNode()), () -> null);
    }

    /**
     * A Linux guest: the boot node reads the kernel and initrd (building the default guest if need be); the I/O
     * node reads /init's report off the console it shows. Every node refuses a PVM host.
     */
    private static Guest linuxGuest(VmDescription d, int id, PrintStream out) {
        GuestSpec g = d.guest().orElseThrow();
        LinuxGuestFiles files;
        if (id == NodeSpec.BOOT_NODE) {
            files = LinuxGuestFiles.prepare(g, d.memoryBytes(), NumaSwitch.bootRangeEnd(d), false);
        } else {
            LinuxGuestFiles.refuseOnPvm();
            files = null;
        }
        InitReport report = new InitReport();
        ConsoleTap console = new ConsoleTap(out, report::accept, LinuxRunCommand.LAST_CONSOLE_LINES);
        List<String> tests = g.image() == GuestSpec.Image.BUNDLED_LINUX ? g.sysbench() : List.of();
        NodeSpec nodeSpec = new NodeSpec(d, id, null, files == null ? "" : files.commandLine(), console,
                DsmLayout.DEFAULT_FAULT_TIMEOUT, files == null ? null : files.guest());
        if (files != null) {
            out.printf("giantvm node %d: VM %s, %d nodes x %d vCPUs, %s RAM, Linux kernel %s, command line: %s%n", id, d.name(),
                    d.nodeCount(), d.vcpusPerNode(), Sizes.format(d.memoryBytes()), files.kernelPath(), files.commandLine());
        }
        boolean io = id == d.ioNode();
        return new Guest(nodeSpec, run -> NodeLifecycle.linuxOutcome(run, d.totalVcpus(), tests, io ? report : null),
                () -> io ? new NodeResultsJson.LinuxConsole(report.lines(), console.lastLines()) : null);
    }

    private static int verdict(String who, RunOutcome run, PrintStream err) {
        Throwable f = run.failure();
        if (f instanceof NodeFailureException || f instanceof GuestCrashException || f instanceof GuestTimeoutException) {
            err.println(who + ": " + f.getMessage());
            if (f instanceof GuestCrashException crash) {
                crash.reportLines().forEach(line -> err.println(who + ": " + line));
            }
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
