package io.giantvm.engine.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs the default guest's own sysbench binary on the host, for the VM-versus-host comparison: the
 * initramfs is unpacked into a temporary directory and sysbench is started through the initramfs's dynamic
 * loader with the initramfs's libraries, so host and guest run byte-for-byte the same program and libc.
 */
public final class HostSysbench implements AutoCloseable {
    private final Path root;

    private HostSysbench(Path root) {
        this.root = root;
    }

    /** Unpacks {@code initrd} (gzip'd newc cpio, as build-guest.sh writes it; needs gzip and cpio). */
    public static HostSysbench unpack(Path initrd) {
        try {
            Path root = Files.createTempDirectory("giantvm-sysbench-");
            Process p = new ProcessBuilder("sh", "-c", "gzip -dc \"$0\" | cpio -idm --quiet --no-absolute-filenames", initrd.toString())
                    .directory(root.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0 || !Files.isRegularFile(root.resolve(SYSBENCH))) {
                delete(root);
                throw new DefaultGuestUnavailableException("cannot unpack sysbench from " + initrd + ": " + out.strip());
            }
            return new HostSysbench(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + initrd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while unpacking " + initrd, e);
        }
    }

    /** One test with {@code threads} threads for {@code seconds}, as init.sh runs it in the guest. */
    public SysbenchResult run(String test, int threads, int seconds) throws InterruptedException {
        List<String> command = new ArrayList<>(List.of(root.resolve(LOADER).toString(), "--library-path", root.resolve(LIBS).toString(),
                root.resolve(SYSBENCH).toString()));
        command.addAll(SysbenchTests.arguments(test));
        command.addAll(List.of("--threads=" + threads, "--time=" + seconds, "run"));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = p.waitFor();
            if (rc != 0) {
                throw new IllegalStateException("sysbench " + test + " on the host exited with " + rc + ": " + out.strip());
            }
            return SysbenchOutput.parse(test, threads, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run sysbench on the host", e);
        }
    }

    @Override
    public void close() {
        delete(root);
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is not worth failing the benchmark for
        }
    }

    /** Where build-guest.sh puts them in the initramfs. */
    private static final String SYSBENCH = "usr/bin/sysbench";
    private static final String LOADER = "lib64/ld-linux-x86-64.so.2";
    private static final String LIBS = "lib/x86_64-linux-gnu";
}
