package io.giantvm.engine.cli;

import io.giantvm.engine.boot.linux.InvalidKernelException;
import io.giantvm.engine.config.GuestSpec;
import io.giantvm.engine.cpu.ApicIdMap;
import io.giantvm.engine.cpu.GuestCrashException;
import io.giantvm.engine.guest.Sizes;
import io.giantvm.engine.linux.ConsoleTap;
import io.giantvm.engine.linux.DefaultLinuxGuest;
import io.giantvm.engine.linux.InitReport;
import io.giantvm.engine.linux.PromptWatch;
import io.giantvm.engine.linux.RestartWatch;
import io.giantvm.engine.linux.SysbenchTests;
import io.giantvm.engine.numa.NumaTopology;
import io.giantvm.engine.vm.GuestTimeoutException;
import io.giantvm.engine.vm.Machine;
import io.giantvm.engine.vm.MachineSpec;
import io.giantvm.engine.vm.RunOutcome;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code giantvm run --guest linux} and {@code giantvm run --kernel bzImage}: boots a Linux kernel on this
 * host, streams its console, and reports what the default guest's /init measured.
 */
final class LinuxRunCommand {
    static final String DEFAULT_MEMORY = "1G";
    static final int DEFAULT_VCPUS = 2;
    static final int MAX_VCPUS = 64;
    static final int DEFAULT_TIMEOUT_SECONDS = 600;
    static final int DEFAULT_SYSBENCH_SECONDS = DefaultLinuxGuest.DEFAULT_SYSBENCH_SECONDS;
    static final List<String> DEFAULT_TESTS = DefaultLinuxGuest.SYSBENCH_TESTS;
    static final int LAST_CONSOLE_LINES = 25;

    private static final Set<String> VALUED = Set.of("guest", "vcpus", "memory", "timeout", "kernel", "initrd", "append",
            "sysbench", "time", "nodes", "vcpus-per-node", NumaSwitch.OPTION, NumaSwitch.TEST_ONLY_NODES);
    private static final Set<String> FLAGS = Set.of("json", "shell");

    static final String USAGE = """
            giantvm run --guest linux [--vcpus N | --nodes N --vcpus-per-node K] [--memory SIZE] [--sysbench cpu,memory,mutex,threads] [--time S] [--json] [--shell]
            giantvm run --kernel bzImage [--initrd FILE] [--append "ARGS"] [--vcpus N] [--memory SIZE] [--timeout S]
              --guest linux    Debian's cloud kernel + a busybox/sysbench initramfs (built on first use from Debian packages)
              --sysbench LIST  tests /init runs with --threads=$(nproc) (default all four); --time S each (default 5);
                               also memory-read-global, memory-write-local (the TURC'19 paper's: 4 KiB blocks)
              --nodes N --vcpus-per-node K  one Linux over N node processes on this host (DSM, forwarded devices and IPIs)
              --shell          a shell on the guest console instead; this terminal's input goes to the guest's ttyS0
              --kernel/--initrd/--append  your own bzImage (64-bit boot protocol), initramfs and command line
              --numa on|off    over several engine nodes, tell the guest each node is a NUMA node (default on; one node: flat)
              --test-only-numa-nodes N  TEST HOOK: describe this one engine as N NUMA nodes (checks Linux parses SRAT/SLIT)
              needs hardware KVM: a PVM host (guest kernel mode emulated) is refused""";

    private LinuxRunCommand() {}

    /** Whether these {@code run} arguments ask for a Linux guest. */
    static boolean wants(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--kernel") || a.startsWith("--kernel=") || a.equals("--guest=linux")
                    || (a.equals("--guest") && i + 1 < args.size() && args.get(i + 1).equals("linux"))) {
                return true;
            }
        }
        return false;
    }

    static int execute(List<String> args, InputStream in, PrintStream out, PrintStream err) throws InterruptedException {
        Options o = Options.parse("run", args, VALUED, FLAGS, Set.of());
        if (o.has("guest") && !o.get("guest", "").equals("linux")) {
            throw new UsageException("--guest must be 'linux' (the bundled test guest needs no --guest)");
        }
        boolean custom = o.has("kernel");
        if (custom && o.has("guest")) {
            throw new UsageException("give either --guest linux (the default Linux guest) or --kernel, not both");
        }
        if (!custom && o.has("initrd")) {
            throw new UsageException("--initrd goes with --kernel");
        }
        if (custom && (o.has("sysbench") || o.has("time") || o.has("shell"))) {
            throw new UsageException("--sysbench, --time and --shell drive the default guest's /init; with --kernel use --append");
        }
        boolean distributed = o.has("nodes") || o.has("vcpus-per-node");
        if (distributed && o.has("vcpus")) {
            throw new UsageException("--vcpus is for one node; with --nodes give --vcpus-per-node (total = nodes x vcpus-per-node)");
        }
        int nodes = o.getInt("nodes", 1, 1, MAX_VCPUS);
        int perNode = o.getInt("vcpus-per-node", 1, 1, MAX_VCPUS);
        if (nodes * perNode > MAX_VCPUS) {
            throw new UsageException("%d nodes x %d vCPUs = %d vCPUs; at most %d".formatted(nodes, perNode, nodes * perNode, MAX_VCPUS));
        }
        if (distributed && nodes > 1 && NumaSwitch.on(o)) {
            NumaSwitch.checkApicIds(nodes, perNode);
        }
        if (distributed && nodes > 1 && o.has("shell")) {
            throw new UsageException("--shell runs on one node only for now");
        }
        int vcpus = distributed ? nodes * perNode : o.getInt("vcpus", DEFAULT_VCPUS, 1, MAX_VCPUS);
        long memory = Sizes.parse("memory", o.get("memory", DEFAULT_MEMORY));
        int timeout = o.getInt("timeout", DEFAULT_TIMEOUT_SECONDS, 1, 7 * 24 * 3600);
        int seconds = o.getInt("time", DEFAULT_SYSBENCH_SECONDS, 1, 3600);
        boolean shell = o.has("shell");
        boolean json = o.has("json");
        Optional<NumaTopology> numa = NumaSwitch.forOneEngine(o, vcpus, memory);
        List<String> tests = o.has("sysbench") ? Arrays.stream(o.get("sysbench", "").split(",")).map(String::strip).toList() : DEFAULT_TESTS;
        for (String t : tests) {
            if (!SysbenchTests.KNOWN.contains(t)) {
                throw new UsageException("unknown sysbench test '" + t + "' (tests: " + String.join(",", SysbenchTests.KNOWN) + ")");
            }
        }
        Optional<String> append = Optional.ofNullable(o.get("append", null));
        GuestSpec spec = custom
                ? new GuestSpec(GuestSpec.Image.KERNEL, Optional.of(o.get("kernel", "")), Optional.ofNullable(o.get("initrd", null)),
                        append, List.of(), 0)
                : GuestSpec.bundledLinux(tests, seconds, append);
        long bootRangeEnd = distributed && nodes > 1 ? NumaSwitch.bootRangeEnd(o, nodes, perNode, memory)
                : NumaSwitch.bootRangeEnd(numa, memory);
        LinuxGuestFiles files = LinuxGuestFiles.prepare(spec, memory, bootRangeEnd, shell);
        if (distributed && nodes > 1) {
            return LinuxDistributedRun.execute(nodes, perNode, memory, spec, files, NumaSwitch.on(o), timeout, json, out, err);
        }

        InitReport report = new InitReport();
        PromptWatch prompt = shell ? new PromptWatch(DefaultLinuxGuest.SHELL_PROMPT) : null;
        RestartWatch restart = new RestartWatch();
        ConsoleTap console = new ConsoleTap(json ? err : out, line -> {
            report.accept(line);
            restart.accept(line);
        }, LAST_CONSOLE_LINES, prompt);
        MachineSpec machineSpec = new MachineSpec(vcpus, memory, null, files.commandLine(), console, files.guest(), numa);
        RunOutcome outcome;
        try (Machine machine = Machine.create(machineSpec)) {
            (json ? err : out).printf("giantvm: Linux guest, %d vCPUs, %s RAM, kernel %s, command line: %s%n",
                    vcpus, Sizes.format(memory), files.kernelPath(), files.commandLine());
            numa.ifPresent(t -> (json ? err : out).println("giantvm: " + t.startupLine() + "; " + ApicIdMap.forGuest(numa, vcpus)));
            if (shell) {
                startConsoleInput(in, machine, prompt);
            }
            RunOutcome ended = machine.run(Duration.ofSeconds(timeout));
            outcome = restart.judge(ended);
            if (outcome != ended) {
                (json ? err : out).println("giantvm: the guest restarted itself ('" + RestartWatch.RESTARTING
                        + "', then a triple fault: reboot=t); a restart ends the run like a power-off");
            }
        } catch (InvalidKernelException e) {
            throw new UsageException(e.getMessage());
        }
        LinuxRunResults results = new LinuxRunResults(vcpus, files.tests(), report, outcome, numa);
        if (json) {
            LinuxResultJson.print(results, List.of(), out);
        } else if (!shell) {
            LinuxResultTable.print(results, out);
        }
        return verdict(results, console.lastLines(), err);
    }

    /** The exit code of a Linux run, with the reason on {@code err}: a crash or timeout shows the console's last lines. */
    static int verdict(LinuxRunResults results, List<String> lastLines, PrintStream err) {
        Throwable failure = results.outcome().failure();
        if (failure instanceof GuestCrashException || failure instanceof GuestTimeoutException) {
            err.println("giantvm: " + failure.getMessage() + "; the console's last lines:");
            lastLines.forEach(l -> err.println("  | " + l));
            if (failure instanceof GuestCrashException crash) {
                crash.reportLines().forEach(line -> err.println("giantvm: " + line));
            }
            return Main.EXIT_FAILED;
        }
        if (failure != null) {
            err.println("giantvm: engine failure while running the guest:");
            failure.printStackTrace(err);
            return Main.EXIT_FAILED;
        }
        if (!results.ok()) {
            err.println("giantvm: " + String.join("; ", results.problems()));
            return Main.EXIT_FAILED;
        }
        return Main.EXIT_OK;
    }

    /** This terminal's input becomes the guest's UART input once the shell prompts, until the VM ends (a daemon thread). */
    private static void startConsoleInput(InputStream in, Machine machine, PromptWatch prompt) {
        Thread.ofPlatform().daemon().name("console-input").start(() -> {
            byte[] buf = new byte[256];
            try {
                prompt.await();
                int n;
                while ((n = in.read(buf)) > 0) {
                    int done = 0;
                    while (done < n) {
                        done += machine.typeOnConsole(buf, done, n - done);
                        if (done < n) {
                            Thread.sleep(10); // the guest has not drained its receive FIFO yet
                        }
                    }
                }
            } catch (IOException | InterruptedException | IllegalStateException e) {
                // the VM ended or stdin closed: nothing more to type
            }
        });
    }
}
