package io.giantvm.engine.cli;

import io.giantvm.engine.boot.linux.BzImage;
import io.giantvm.engine.boot.linux.InvalidKernelException;
import io.giantvm.engine.boot.linux.LinuxGuest;
import io.giantvm.engine.boot.linux.LinuxLoader;
import io.giantvm.engine.cpu.GuestCrashException;
import io.giantvm.engine.guest.Sizes;
import io.giantvm.engine.kvm.HostKvmKind;
import io.giantvm.engine.linux.ConsoleTap;
import io.giantvm.engine.linux.DefaultGuestUnavailableException;
import io.giantvm.engine.linux.DefaultLinuxGuest;
import io.giantvm.engine.linux.InitReport;
import io.giantvm.engine.linux.PromptWatch;
import io.giantvm.engine.vm.GuestTimeoutException;
import io.giantvm.engine.vm.Machine;
import io.giantvm.engine.vm.MachineSpec;
import io.giantvm.engine.vm.RunOutcome;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
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
    static final int DEFAULT_SYSBENCH_SECONDS = 5;
    static final List<String> ALL_TESTS = List.of("cpu", "memory", "mutex", "threads");
    static final int LAST_CONSOLE_LINES = 25;

    private static final Set<String> VALUED = Set.of("guest", "vcpus", "memory", "timeout", "kernel", "initrd", "append",
            "sysbench", "time");
    private static final Set<String> FLAGS = Set.of("json", "shell");

    static final String USAGE = """
            giantvm run --guest linux [--vcpus N] [--memory SIZE] [--sysbench cpu,memory,mutex,threads] [--time S] [--json] [--shell]
            giantvm run --kernel bzImage [--initrd FILE] [--append "ARGS"] [--vcpus N] [--memory SIZE] [--timeout S]
              --guest linux    Debian's cloud kernel + a busybox/sysbench initramfs (built on first use from Debian packages)
              --sysbench LIST  tests /init runs with --threads=$(nproc) (default all four); --time S each (default 5)
              --shell          a shell on the guest console instead; this terminal's input goes to the guest's ttyS0
              --kernel/--initrd/--append  your own bzImage (64-bit boot protocol), initramfs and command line
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
        int vcpus = o.getInt("vcpus", DEFAULT_VCPUS, 1, MAX_VCPUS);
        long memory = Sizes.parse("memory", o.get("memory", DEFAULT_MEMORY));
        int timeout = o.getInt("timeout", DEFAULT_TIMEOUT_SECONDS, 1, 7 * 24 * 3600);
        int seconds = o.getInt("time", DEFAULT_SYSBENCH_SECONDS, 1, 3600);
        boolean shell = o.has("shell");
        boolean json = o.has("json");
        List<String> tests = o.has("sysbench") ? Arrays.stream(o.get("sysbench", "").split(",")).map(String::strip).toList() : ALL_TESTS;
        for (String t : tests) {
            if (!ALL_TESTS.contains(t)) {
                throw new UsageException("unknown sysbench test '" + t + "' (tests: " + String.join(",", ALL_TESTS) + ")");
            }
        }
        LinuxGuest guest;
        Path kernelPath;
        String commandLine;
        try {
            if (custom) { // bad files are bad input whatever the host: say so first
                kernelPath = Path.of(o.get("kernel", ""));
                commandLine = o.get("append", "console=ttyS0");
                guest = readGuest(kernelPath, o.has("initrd") ? Path.of(o.get("initrd", "")) : null, memory, commandLine);
                refuseOnPvm();
            } else {
                refuseOnPvm(); // before a first build downloads anything
                DefaultLinuxGuest.GuestFiles files = DefaultLinuxGuest.ensureBuilt();
                kernelPath = files.kernel();
                commandLine = DefaultLinuxGuest.commandLine(tests, seconds, shell, o.get("append", null));
                guest = readGuest(kernelPath, files.initrd(), memory, commandLine);
            }
        } catch (DefaultGuestUnavailableException | InvalidKernelException e) {
            throw new UsageException(e.getMessage());
        }

        InitReport report = new InitReport();
        PromptWatch prompt = shell ? new PromptWatch(DefaultLinuxGuest.SHELL_PROMPT) : null;
        ConsoleTap console = new ConsoleTap(json ? err : out, report::accept, LAST_CONSOLE_LINES, prompt);
        MachineSpec spec = new MachineSpec(vcpus, memory, null, commandLine, console, guest);
        RunOutcome outcome;
        try (Machine machine = Machine.create(spec)) {
            (json ? err : out).printf("giantvm: Linux guest, %d vCPUs, %s RAM, kernel %s, command line: %s%n",
                    vcpus, Sizes.format(memory), kernelPath, commandLine);
            if (shell) {
                startConsoleInput(in, machine, prompt);
            }
            outcome = machine.run(Duration.ofSeconds(timeout));
        } catch (InvalidKernelException e) {
            throw new UsageException(e.getMessage());
        }
        LinuxRunResults results = new LinuxRunResults(vcpus, custom || shell ? List.of() : tests, report, outcome);
        if (json) {
            LinuxResultJson.print(results, out);
        } else if (!shell) {
            LinuxResultTable.print(results, out);
        }
        Throwable failure = outcome.failure();
        if (failure instanceof GuestCrashException || failure instanceof GuestTimeoutException) {
            err.println("giantvm: " + failure.getMessage() + "; the console's last lines:");
            console.lastLines().forEach(l -> err.println("  | " + l));
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

    static void refuseOnPvm() {
        if (HostKvmKind.detect() == HostKvmKind.PVM) {
            throw new UsageException("this host's KVM is PVM (kvm_pvm: guest kernel mode is emulated), where a Linux"
                    + " kernel cannot run; use a host with hardware virtualization, or e2e/qemu-kvm/run.sh");
        }
    }

    private static LinuxGuest readGuest(Path kernelPath, Path initrdPath, long memory, String commandLine) {
        BzImage kernel = BzImage.read(kernelPath);
        byte[] initrd = initrdPath == null ? new byte[0] : readInitrd(initrdPath);
        LinuxLoader.checkFits(memory, kernel, initrd.length, commandLine);
        return new LinuxGuest(kernel, initrd);
    }

    private static byte[] readInitrd(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new InvalidKernelException("initrd " + path + " does not exist");
        } catch (IOException e) {
            throw new InvalidKernelException("cannot read initrd " + path + ": " + e.getMessage());
        }
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
