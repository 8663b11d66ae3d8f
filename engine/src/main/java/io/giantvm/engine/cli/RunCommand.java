package io.giantvm.engine.cli;

import io.giantvm.engine.guest.BundledGuest;
import io.giantvm.engine.guest.GuestAbi;
import io.giantvm.engine.guest.Sizes;
import io.giantvm.engine.guest.Workload;
import io.giantvm.engine.guest.WorkloadSpec;
import io.giantvm.engine.memory.GuestLayout;
import io.giantvm.engine.os.SignalKick;
import io.giantvm.engine.cpu.GuestCrashException;
import io.giantvm.engine.vm.GuestTimeoutException;
import io.giantvm.engine.vm.Machine;
import io.giantvm.engine.vm.MachineSpec;
import io.giantvm.engine.vm.RunOutcome;

import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code giantvm run}: boots the bundled guest with one workload on this host and reports. */
final class RunCommand {
    static final int DEFAULT_VCPUS = 2;
    static final String DEFAULT_MEMORY = "256M";
    static final String DEFAULT_WORKLOAD = "mutex";
    static final int DEFAULT_TIMEOUT_SECONDS = 600;

    private static final Set<String> VALUED = Set.of("vcpus", "memory", "workload", "timeout", "nodes", "vcpus-per-node",
            NumaSwitch.OPTION);
    private static final Set<String> FLAGS = Set.of("json");

    static final String USAGE = """
            giantvm run [--vcpus N | --nodes N --vcpus-per-node K] [--memory SIZE] [--workload NAME] [workload options] [--json] [--timeout S]
              --vcpus N        vCPUs (default 2)             --memory SIZE  guest RAM, e.g. 256M, 1G (default 256M)
              --nodes N        one VM over N node processes on this host (loopback mesh, DSM over userfaultfd)
              --vcpus-per-node K  vCPUs each node runs (default 1); node i runs vCPUs i*K .. i*K+K-1
              --workload NAME  memory | mutex | falseshare | compute (default mutex)
              --json           results as JSON on stdout (the guest console goes to stderr)
              --numa on|off    with --nodes: the VM description's numa (default on; read by a Linux guest's ACPI tables)
              --timeout S      give up after S seconds (default 600)
              memory:     --block-size SIZE --total SIZE --mode read|write --scope local|global --access seq|rnd
              mutex:      --locks N --iterations N
              falseshare: --iterations N --layout packed|padded
              compute:    --iterations N
              all:        --seed N --timer-hz N (guest programs its APIC timer)""";

    private RunCommand() {}

    static int execute(List<String> args, PrintStream out, PrintStream err) throws InterruptedException {
        if (LinuxRunCommand.wants(args)) {
            return LinuxRunCommand.execute(args, System.in, out, err);
        }
        Set<String> workloadOptions = new LinkedHashSet<>();
        for (Workload w : Workload.values()) {
            workloadOptions.addAll(WorkloadSpec.optionNames(w));
        }
        Options o = Options.parse("run", args, VALUED, FLAGS, workloadOptions);
        boolean distributed = o.has("nodes") || o.has("vcpus-per-node");
        if (distributed && o.has("vcpus")) {
            throw new UsageException("--vcpus is for one node; with --nodes give --vcpus-per-node (total = nodes x vcpus-per-node)");
        }
        int nodes = o.getInt("nodes", 1, 1, GuestAbi.MAX_VCPUS);
        int perNode = o.getInt("vcpus-per-node", 1, 1, GuestAbi.MAX_VCPUS);
        if (distributed && nodes * perNode > GuestAbi.MAX_VCPUS) {
            throw new UsageException("%d nodes x %d vCPUs = %d vCPUs; the bundled guest runs at most %d"
                    .formatted(nodes, perNode, nodes * perNode, GuestAbi.MAX_VCPUS));
        }
        int vcpus = distributed ? nodes * perNode : o.getInt("vcpus", DEFAULT_VCPUS, 1, GuestAbi.MAX_VCPUS);
        long memory = Sizes.parse("memory", o.get("memory", DEFAULT_MEMORY));
        int timeout = o.getInt("timeout", DEFAULT_TIMEOUT_SECONDS, 1, 7 * 24 * 3600);
        boolean json = o.has("json");
        boolean numa = NumaSwitch.on(o);
        Map<String, String> wopts = o.only(workloadOptions);
        WorkloadSpec spec = WorkloadSpec.parse(o.get("workload", DEFAULT_WORKLOAD), wopts);
        long needed = spec.minimumMemoryBytes(vcpus);
        if (memory < needed) {
            throw new UsageException("--memory %s is too small for this workload on %d vCPUs: it needs at least %s"
                    .formatted(Sizes.format(memory), vcpus, Sizes.format(roundUp(needed, 2 * GuestLayout.MiB))));
        }

        if (distributed && nodes > 1) {
            return DistributedRun.execute(nodes, perNode, memory, spec, wopts, timeout, json, numa, out, err);
        }
        PrintStream console = json ? err : out;
        MachineSpec machineSpec = new MachineSpec(vcpus, memory, BundledGuest.image(), spec.toKernelCommandLine(vcpus), console);
        RunOutcome outcome;
        try (Machine machine = Machine.create(machineSpec)) {
            console.printf("giantvm: %d vCPUs, %s RAM, guest command line: %s%n",
                    vcpus, Sizes.format(memory), spec.toKernelCommandLine(vcpus));
            outcome = machine.run(Duration.ofSeconds(timeout));
        }
        if (SignalKick.strayKicks() > 0) {
            err.println("giantvm: warning: " + SignalKick.strayKicks()
                    + " kick signal(s) reached a thread that was not in the guest (harmless, but a bug: please report)");
        }
        RunResults results = RunResults.of(spec, vcpus, outcome);
        if (json) {
            ResultJson.print(results, out);
        } else {
            ResultTable.print(results, out);
        }
        if (outcome.failure() instanceof GuestCrashException || outcome.failure() instanceof GuestTimeoutException) {
            err.println("giantvm: " + outcome.failure().getMessage());
            if (outcome.failure() instanceof GuestCrashException crash) {
                crash.reportLines().forEach(line -> err.println("giantvm: " + line));
            }
            return 1;
        }
        if (outcome.failure() != null) { // an engine bug: keep the whole trace
            err.println("giantvm: engine failure while running the guest:");
            outcome.failure().printStackTrace(err);
            return 1;
        }
        if (outcome.guestStatus() != 0) {
            err.println("giantvm: the guest exited with status " + outcome.guestStatus()
                    + " (" + GuestAbi.describeExitStatus(outcome.guestStatus()) + ")");
            return 1;
        }
        if (!results.ok()) {
            err.println("giantvm: results check failed: " + String.join("; ", results.problems()));
            return 1;
        }
        return 0;
    }


    private static long roundUp(long v, long to) {
        return (v + to - 1) / to * to;
    }
}
