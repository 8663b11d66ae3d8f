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
    private KvmSuite() {}

    public static void main(String[] args) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage("io.giantvm.engine"))
                .filters(includeClassNamePatterns(args.length > 0 ? args[0] : ".*IT"))
                .build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        launcher.execute(request, summary);
        TestExecutionSummary s = summary.getSummary();
        PrintWriter out = new PrintWriter(System.out, true);
        s.printFailuresTo(out, 40);
        long failed = s.getTotalFailureCount();
        long skipped = s.getTestsSkippedCount() + s.getTestsAbortedCount();
        out.printf("kvm-suite: %d passed, %d failed, %d skipped%n", s.getTestsSucceededCount(), failed, skipped);
        System.exit(failed > 0 || s.getTestsSucceededCount() == 0 ? 1 : 0);
    }
}
