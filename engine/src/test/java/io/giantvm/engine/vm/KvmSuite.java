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
 * <p>A test that fails is run once more, as surefire's {@code rerunFailingTestsCount=1} does: nested
 * emulation (QEMU TCG emulating SVM) has rare failures of its own. The first failure is printed in
 * full and the test is counted as flaky when the second run passes, so a flake is seen, not hidden;
 * a test that fails twice fails the suite. A test still running after {@link #HANG_LIMIT} ends the suite
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
        final List<TestIdentifier> failed = new ArrayList<>();
        private long testStarted;

        ProgressListener(String label, HangWatchdog watchdog, PassedTests passed) {
            this.label = label;
            this.watchdog = watchdog;
            this.passed = passed;
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

        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        ProgressListener progress = new ProgressListener("", watchdog, passedBefore);
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage("io.giantvm.engine"))
                .filters(includeClassNamePatterns(args.length > 0 ? args[0] : ".*IT"));
        if (passedBefore != null) {
            request.filters(passedBefore.notYetPassed());
        }
        launcher.execute(request.build(), summary, progress);
        TestExecutionSummary first = summary.getSummary();
        first.printFailuresTo(out, 40);

        long failed = 0;
        long flaky = 0;
        if (!progress.failed.isEmpty()) {
            SummaryGeneratingListener rerunSummary = new SummaryGeneratingListener();
            ProgressListener rerun = new ProgressListener(" rerun", watchdog, passedBefore);
            LauncherDiscoveryRequest again = LauncherDiscoveryRequestBuilder.request()
                    .selectors(progress.failed.stream().map(id -> DiscoverySelectors.selectUniqueId(id.getUniqueId())).toList())
                    .build();
            launcher.execute(again, rerunSummary, rerun);
            rerunSummary.getSummary().printFailuresTo(out, 40);
            failed = rerun.failed.size();
            flaky = progress.failed.size() - failed;
        }
        long passed = first.getTestsSucceededCount() + flaky + earlier;
        long skipped = first.getTestsSkippedCount() + first.getTestsAbortedCount();
        out.printf("kvm-suite: %d passed (%d of them flaky: failed once, passed on rerun; %d in an earlier attempt), %d failed, %d skipped, in %.0f s%n",
                passed, flaky, earlier, failed, skipped, (System.nanoTime() - suiteStarted) / 1e9);
        System.exit(failed > 0 || passed == 0 ? 1 : 0);
    }
}
