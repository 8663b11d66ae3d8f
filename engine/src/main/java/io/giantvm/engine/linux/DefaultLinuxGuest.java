package io.giantvm.engine.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The default Linux guest's kernel and initramfs: built on first use by {@code build-guest.sh}
 * (Debian packages, cached in ~/.cache/giantvm/linux), which prints where they are.
 */
public final class DefaultLinuxGuest {
    /** The sysbench tests /init runs unless told otherwise ({@link SysbenchTests#KNOWN}: every test it knows). */
    public static final List<String> SYSBENCH_TESTS = SysbenchTests.DEFAULT;
    public static final int DEFAULT_SYSBENCH_SECONDS = 5;

    /** The build script, relative to the repository root. */
    static final String SCRIPT = "engine/src/main/linux/build-guest.sh";

    public record GuestFiles(Path kernel, Path initrd) {}

    private DefaultLinuxGuest() {}

    /**
     * Runs the build script (quick when cached) and returns the two files.
     *
     * @throws DefaultGuestUnavailableException when the script is missing or fails (its last line says why)
     */
    public static GuestFiles ensureBuilt() {
        String prebuilt = System.getenv(PREBUILT_ENV);
        if (prebuilt != null && !prebuilt.isBlank()) {
            return prebuilt(Path.of(prebuilt));
        }
        Path script = repositoryRoot().resolve(SCRIPT);
        if (!Files.isExecutable(script)) {
            throw new DefaultGuestUnavailableException("the default Linux guest's build script " + script
                    + " is missing (run from a GiantVM checkout, or give --kernel and --initrd)");
        }
        try {
            Process p = new ProcessBuilder(script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = p.waitFor();
            if (rc != 0) {
                throw new DefaultGuestUnavailableException("building the default Linux guest failed (" + script
                        + " exited with " + rc + "; its message is above)");
            }
            Path kernel = null;
            Path initrd = null;
            for (String line : out.lines().toList()) {
                if (line.startsWith("kernel ")) {
                    kernel = Path.of(line.substring(7));
                } else if (line.startsWith("initrd ")) {
                    initrd = Path.of(line.substring(7));
                }
            }
            if (kernel == null || initrd == null) {
                throw new IllegalStateException(script + " printed no kernel/initrd lines: " + out);
            }
            return new GuestFiles(kernel, initrd);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DefaultGuestUnavailableException("interrupted while building the default Linux guest");
        }
    }

    /**
     * Where an image that carries the default guest already built (the node image) says it is: a directory with
     * {@code vmlinuz} and {@code initramfs.cpio.gz}, as build-guest.sh leaves them. No script runs then.
     */
    public static final String PREBUILT_ENV = "GIANTVM_LINUX_GUEST_DIR";

    static GuestFiles prebuilt(Path dir) {
        Path kernel = dir.resolve("vmlinuz");
        Path initrd = dir.resolve("initramfs.cpio.gz");
        if (!Files.isRegularFile(kernel) || !Files.isRegularFile(initrd)) {
            throw new DefaultGuestUnavailableException(PREBUILT_ENV + "=" + dir + " names no default Linux guest"
                    + " (vmlinuz and initramfs.cpio.gz expected there)");
        }
        return new GuestFiles(kernel, initrd);
    }

    /** engine/target/classes (or a jar in engine/target) -> the checkout's root. */
    static Path repositoryRoot() {
        String override = System.getProperty("giantvm.root");
        if (override != null) {
            return Path.of(override);
        }
        try {
            Path here = Path.of(DefaultLinuxGuest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = here; p != null; p = p.getParent()) {
                if (Files.exists(p.resolve(SCRIPT))) {
                    return p;
                }
            }
            return here;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Kernel command line of the default guest: serial console, no PCI, reset by triple fault, and /init's orders. */
    public static String commandLine(List<String> sysbenchTests, int seconds, boolean shell, String append) {
        StringBuilder b = new StringBuilder(BASE_COMMAND_LINE);
        if (shell) {
            b.append(" giantvm.shell=1");
        } else {
            b.append(" giantvm.sysbench=").append(String.join(",", sysbenchTests)).append(" giantvm.time=").append(seconds);
        }
        if (append != null && !append.isBlank()) {
            b.append(' ').append(append.strip());
        }
        return b.toString();
    }

    /** The prompt init.sh gives the --shell shell (PS1): input is typed once it appears ({@link PromptWatch}). */
    public static final String SHELL_PROMPT = "giantvm# ";

    /**
     * console=ttyS0: the UART is the console. pci=off: there is no PCI host bridge. reboot=t panic=-1: a panic
     * resets at once, by triple fault, which ends the run as a crash. tsc=reliable: no clocksource watchdog
     * (there is no second clock to watch the TSC with). nokaslr: the same addresses every boot, for debugging.
     */
    public static final String BASE_COMMAND_LINE = "console=ttyS0 pci=off reboot=t panic=-1 tsc=reliable nokaslr";
}
