package io.giantvm.engine.cli;

import io.giantvm.engine.linux.NumaNodeReport;
import io.giantvm.engine.linux.SysbenchResult;

import java.io.PrintStream;
import java.util.Map;
import java.util.stream.Collectors;

/** The human-readable results of a Linux run. */
final class LinuxResultTable {
    private LinuxResultTable() {}

    static void print(LinuxRunResults r, PrintStream out) {
        var report = r.report();
        out.println();
        out.printf("kernel %s, nproc %s, boot to /init %s s, wall %.1f s%n",
                report.kernel() == null ? "?" : report.kernel(), report.nproc() == null ? "?" : report.nproc(),
                report.bootSeconds() == null ? "?" : "%.2f".formatted(report.bootSeconds()),
                r.outcome().elapsed().toNanos() / 1e9);
        for (NumaNodeReport n : report.numaNodes()) {
            out.printf("NUMA node %d: cpus %s, %d MiB, distances %s%n", n.node(), n.cpus(), n.memoryKb() / 1024, n.distance());
        }
        if (!report.sysbench().isEmpty()) {
            out.printf("%-8s %7s %12s %8s %12s %9s %9s %9s %9s%n",
                    "sysbench", "threads", "events", "seconds", "events/s", "lat min", "lat avg", "lat max", "lat p95");
            for (SysbenchResult s : report.sysbench()) {
                out.printf("%-8s %7d %12d %8.2f %12.2f %9.2f %9.2f %9.2f %9.2f%n", s.test(), s.threads(), s.events(),
                        s.seconds(), s.eventsPerSecond(), s.latencyMinMs(), s.latencyAvgMs(), s.latencyMaxMs(), s.latencyP95Ms());
            }
            out.println("(latencies in ms)");
        }
        for (int i = 0; i < r.outcome().exits().size(); i++) {
            Map<String, Long> byReason = r.outcome().exits().get(i);
            out.printf("exits vCPU %d: %d (%s)%n", i, r.totalExits(i), byReason.entrySet().stream()
                    .filter(e -> e.getValue() > 0).map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
        }
        out.println(r.ok() ? "check: ok" : "check: FAILED: " + String.join("; ", r.problems()));
    }
}
