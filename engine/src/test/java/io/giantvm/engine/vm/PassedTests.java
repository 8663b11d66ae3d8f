package io.giantvm.engine.vm;

import org.junit.platform.engine.FilterResult;
import org.junit.platform.launcher.PostDiscoveryFilter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * The tests that already passed in an earlier attempt of the same suite run, one unique id per line. When the
 * nested VM itself freezes (an emulation fault, see e2e/qemu-kvm/run.sh --stall), kvm-tests.sh boots a fresh VM
 * and runs the suite again; with this record it runs only what had not passed yet, so a retry costs the rest
 * of the suite, not all of it.
 */
final class PassedTests {
    private final Path file;
    private final Set<String> before;

    PassedTests(Path file) {
        this.file = file;
        try {
            before = Files.exists(file) ? new HashSet<>(Files.readAllLines(file, StandardCharsets.UTF_8)) : Set.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the passed-tests record " + file + ": " + e.getMessage(), e);
        }
    }

    int countBefore() {
        return before.size();
    }

    /** Leaves out tests that passed in an earlier attempt. */
    PostDiscoveryFilter notYetPassed() {
        return notRecorded("passed in an earlier attempt");
    }

    /**
     * Leaves out the tests in this record. The same class also records the tests that failed for real (not with a
     * known emulation fault), so that a retry after a frozen VM does not run them again and hide the failure.
     */
    PostDiscoveryFilter notRecorded(String why) {
        return descriptor -> descriptor.isTest() && before.contains(descriptor.getUniqueId().toString())
                ? FilterResult.excluded(why)
                : FilterResult.included("not recorded");
    }

    /** The unique ids recorded by earlier attempts. */
    Set<String> recordedBefore() {
        return Set.copyOf(before);
    }

    /** Written at once: the VM may freeze right after. */
    void record(String uniqueId) {
        try {
            Files.writeString(file, uniqueId + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record a passed test in " + file + ": " + e.getMessage(), e);
        }
    }
}
