package io.giantvm.engine.vm;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.platform.engine.discovery.ClassNameFilter.includeClassNamePatterns;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

/**
 * Runs every KVM integration test ({@code *IT}) in one JVM, for hosts where Maven is too slow to
 * start, such as the nested-KVM VM of {@code e2e/qemu-kvm}. Prints the usual closing line and
 * exits non-zero on any failure, or when nothing ran.
 *
 * <p>A test whose first failure is a known fault of nested emulation (QEMU TCG emulating SVM; see
 * {@link EmulationFaults}) is run once more: the first failure is printed in full, with a line naming the fault,
 * and the test is counted as flaky when the second run passes, so a flake is seen, not hidden; a test that fails
 * twice fails the suite. Any other failure — a wrong counter or checksum of a multi-node run, a guest crash, a
 * timeout — fails the suite at once: a DSM coherence bug may strike only now and then, and a rerun would hide it.
 * Such a failure is also recorded at once, so that a retry after a frozen VM ({@link PassedTests}) does not run
 * the test again either. A test still running after {@link #HANG_LIMIT} ends the suite
 * with every thread's Java and kernel stack ({@link HangWatchdog}).
 */
public final class KvmSuite {
    /**
     * One line per finished test with its duration, so a slow nested run shows where it is and where the time
     * went; remembers the failures.
     */
    private static final class ProgressListener implements TestExecutionListener {
        private final String label;
        private final HangWatchdog watchdog;
        private final PassedTests passed;
        private final PassedTests failedForReal;
        final List<TestIdentifier> failed = new ArrayList<>();
        final List<Throwable> failures = new ArrayList<>();
        private long testStarted;

        ProgressListener(String label, HangWatchdog watchdog, PassedTests passed, PassedTests failedForReal) {
            this.label = label;
            this.watchdog = watchdog;
            this.passed = passed;
            this.failedForReal = failedForReal;
        }

        @Override
        public void executionStarted(TestIdentifier id) {
            if (id.isTest()) {
                testStarted = System.nanoTime();
                watchdog.started(id.getDisplayName());
            }
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (id.isTest()) {
                watchdog.finished();
                System.out.printf("kvm-suite:%s %-10s %s (%.1f s)%n", label, result.getStatus(), id.getDisplayName(),
                        (System.nanoTime() - testStarted) / 1e9);
                if (result.getStatus() == TestExecutionResult.Status.FAILED) {
                    failed.add(id);
                    Throwable why = result.getThrowable().orElse(null);
                    failures.add(why);
                    // A rerun that fails again counts for real whatever the cause.
                    if (failedForReal != null && (!label.isEmpty() || EmulationFaults.knownFault(why).isEmpty())) {
                        failedForReal.record(id.getUniqueId());
                    }
                } else if (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL && passed != null) {
                    passed.record(id.getUniqueId());
                }
            }
        }

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            System.out.printf("kvm-suite:%s SKIPPED %s (%s)%n", label, id.getDisplayName(), reason);
        }
    }

    /**
     * Far above any test's own bounds (a guest run gives up after 240 s, then stops its vCPUs within seconds;
     * NodeKillIT waits up to 8 minutes for a 2-node guest to start), with room for a slow nested VM.
     */
    private static final Duration HANG_LIMIT = Duration.ofMinutes(12);

    /** Where the tests that passed are recorded, for a retry after the VM froze ({@link PassedTests}); optional. */
    static final String PASSED_FILE_PROPERTY = "kvm.suite.passed";
    /** Next to the passed record: the tests that failed for real in an earlier attempt. */
    static final String FAILED_SUFFIX = ".failed";

    private KvmSuite() {}

    public static void main(String[] args) {
        long suiteStarted = System.nanoTime();
        Launcher launcher = LauncherFactory.create();
        PrintWriter out = new PrintWriter(System.out, true);
        HangWatchdog watchdog = new HangWatchdog(HANG_LIMIT, System.out);

        String passedFile = System.getProperty(PASSED_FILE_PROPERTY);
        PassedTests passedBefore = passedFile == null ? null : new PassedTests(Path.of(passedFile));
        long earlier = passedBefore == null ? 0 : passedBefore.countBefore();
        if (earlier > 0) {
            out.printf("kvm-suite: %d test(s) passed in an earlier attempt; running the rest%n", earlier);
        }
        PassedTests failedBefore = passedFile == null ? null : new PassedTests(Path.of(passedFile + FAILED_SUFFIX));
        long failedEarlier = failedBefore == null ? 0 : failedBefore.countBefore();
        if (failedEarlier > 0) {
            for (String id : failedBefore.recordedBefore()) {
                out.printf("kvm-suite: FAILED in an earlier attempt, not run again: %s%n", id);
            }
        }

        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        ProgressListener progress = new ProgressListener("", watchdog, passedBefore, failedBefore);
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage("io.giantvm.engine"))
                .filters(includeClassNamePatterns(args.length > 0 ? args[0] : ".*IT"));
        if (passedBefore != null) {
            request.filters(passedBefore.notYetPassed(), failedBefore.notRecorded("failed in an earlier attempt"));
        }
        launcher.execute(request.build(), summary, progress);
        TestExecutionSummary first = summary.getSummary();
        first.printFailuresTo(out, 40);

        long failed = failedEarlier;
        long flaky = 0;
        List<TestIdentifier> rerunnable = new ArrayList<>();
        for (int i = 0; i < progress.failed.size(); i++) {
            TestIdentifier id = progress.failed.get(i);
            var fault = EmulationFaults.knownFault(progress.failures.get(i));
            if (fault.isPresent()) {
                out.printf("kvm-suite: %s failed with a known emulation fault (\"%s\"): running it once more%n", id.getDisplayName(), fault.get());
                rerunnable.add(id);
            } else {
                out.printf("kvm-suite: %s failed, not with a known emulation fault: no rerun%n", id.getDisplayName());
                failed++;
            }
        }
        if (!rerunnable.isEmpty()) {
            SummaryGeneratingListener rerunSummary = new SummaryGeneratingListener();
            ProgressListener rerun = new ProgressListener(" rerun", watchdog, passedBefore, failedBefore);
            LauncherDiscoveryRequest again = LauncherDiscoveryRequestBuilder.request()
                    .selectors(rerunnable.stream().map(id -> DiscoverySelectors.selectUniqueId(id.getUniqueId())).toList())
                    .build();
            launcher.execute(again, rerunSummary, rerun);
            rerunSummary.getSummary().printFailuresTo(out, 40);
            failed += rerun.failed.size();
            flaky = rerunnable.size() - rerun.failed.size();
        }
        long passed = first.getTestsSucceededCount() + flaky + earlier;
        long skipped = first.getTestsSkippedCount() + first.getTestsAbortedCount();
        out.printf("kvm-suite: %d passed (%d of them flaky: failed once, passed on rerun; %d in an earlier attempt), %d failed, %d skipped, in %.0f s%n",
                passed, flaky, earlier, failed, skipped, (System.nanoTime() - suiteStarted) / 1e9);
        System.exit(failed > 0 || passed == 0 ? 1 : 0);
    }
}
