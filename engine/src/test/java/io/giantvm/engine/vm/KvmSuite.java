package io.giantvm.engine.vm;

import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.PrintWriter;

import static org.junit.platform.engine.discovery.ClassNameFilter.includeClassNamePatterns;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

/**
 * Runs every KVM integration test ({@code *IT}) in one JVM, for hosts where Maven is too slow to
 * start, such as the nested-KVM VM of {@code e2e/qemu-kvm}. Prints the usual closing line and
 * exits non-zero on any failure, or when nothing ran.
 */
public final class KvmSuite {
    /** One line per finished test, so a slow nested run shows where it is. */
    private static final class ProgressListener implements org.junit.platform.launcher.TestExecutionListener {
        @Override
        public void executionFinished(org.junit.platform.launcher.TestIdentifier id,
                                      org.junit.platform.engine.TestExecutionResult result) {
            if (id.isTest()) {
                System.out.printf("kvm-suite: %-7s %s%n", result.getStatus(), id.getDisplayName());
            }
        }

        @Override
        public void executionSkipped(org.junit.platform.launcher.TestIdentifier id, String reason) {
            System.out.printf("kvm-suite: SKIPPED %s (%s)%n", id.getDisplayName(), reason);
        }
    }

    private KvmSuite() {}

    public static void main(String[] args) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage("io.giantvm.engine"))
                .filters(includeClassNamePatterns(args.length > 0 ? args[0] : ".*IT"))
                .build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        launcher.execute(request, summary, new ProgressListener());
        TestExecutionSummary s = summary.getSummary();
        PrintWriter out = new PrintWriter(System.out, true);
        s.printFailuresTo(out, 40);
        long failed = s.getTotalFailureCount();
        long skipped = s.getTestsSkippedCount() + s.getTestsAbortedCount();
        out.printf("kvm-suite: %d passed, %d failed, %d skipped%n", s.getTestsSucceededCount(), failed, skipped);
        System.exit(failed > 0 || s.getTestsSucceededCount() == 0 ? 1 : 0);
    }
}
