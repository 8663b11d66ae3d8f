package io.giantvm.engine.cli;

import io.giantvm.engine.guest.ReportRecord;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** The human form of a run's results: one row per vCPU, a total, the check, exits per vCPU. */
final class ResultTable {
    private ResultTable() {}

    static void print(RunResults r, PrintStream out) {
        String unit = RunResults.operationUnit(r.spec());
        out.println();
        out.printf(Locale.ROOT, "%-6s %18s %10s %16s %22s %11s%n",
                "vCPU", unit, "seconds", unit + "/s", "checksum", "interrupts");
        for (RunResults.Row row : r.rows()) {
            out.printf(Locale.ROOT, "%-6d %18s %10.4f %16s %22s %11d%n", row.vcpu(),
                    Long.toUnsignedString(row.operations()), row.seconds(), human(row.operationsPerSecond()),
                    Long.toUnsignedString(row.checksum()), row.interrupts());
        }
        out.printf(Locale.ROOT, "%-6s %18s %10s %16s%n", "total",
                Long.toUnsignedString(r.totalOperations()), "", human(r.totalOperationsPerSecond()));
        ReportRecord s = r.summary();
        if (s != null) {
            out.printf(Locale.ROOT, "final %s: %s%n", RunResults.summaryLabel(r.spec()), Long.toUnsignedString(s.checksum()));
        }
        out.println();
        out.println("exits per vCPU:");
        for (int i = 0; i < r.outcome().exits().size(); i++) {
            Map<String, Long> e = r.outcome().exits().get(i);
            out.printf(Locale.ROOT, "  vcpu-%d %s%n", i, e);
        }
        out.printf(Locale.ROOT, "wall time %.3f s; check: %s%n", r.outcome().elapsed().toNanos() / 1e9, checkVerdict(r));
    }

    /** A run that did not end normally has no answer to check: say so rather than "OK" over partial reports. */
    private static String checkVerdict(RunResults r) {
        if (!r.problems().isEmpty()) {
            return String.join("; ", r.problems());
        }
        return r.outcome().succeeded() ? "OK (matches what the host computes)"
                : "not done (the run did not finish; the reports above are partial)";
    }

    private static String human(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        String[] suffix = {"", "K", "M", "G", "T"};
        int i = 0;
        while (Math.abs(v) >= 1000 && i < suffix.length - 1) {
            v /= 1000;
            i++;
        }
        return String.format(Locale.ROOT, "%.2f%s", v, suffix[i]);
    }
}
