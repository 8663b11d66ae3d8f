package io.giantvm.engine.cli;

import io.giantvm.engine.guest.ReportRecord;
import io.giantvm.engine.guest.TscProbe;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** The human form of a run's results: one row per vCPU, a total, the check, exits per vCPU. */
final class ResultTable {
    private ResultTable() {}

    static void print(RunResults r, PrintStream out) {
        String unit = RunResults.operationUnit(r.spec());
        out.println();
        out.printf(Locale.ROOT, "%-6s %18s %9s %9s %10s %16s %22s %11s%n",
                "vCPU", unit, "start s", "stop s", "seconds", unit + "/s", "checksum", "interrupts");
        for (RunResults.Row row : r.rows()) {
            out.printf(Locale.ROOT, "%-6d %18s %9.4f %9.4f %10.4f %16s %22s %11d%n", row.vcpu(),
                    Long.toUnsignedString(row.operations()), row.startSeconds(), row.stopSeconds(), row.seconds(),
                    human(row.operationsPerSecond()), Long.toUnsignedString(row.checksum()), row.interrupts());
        }
        out.printf(Locale.ROOT, "%-6s %18s %10s %16s%n", "total",
                Long.toUnsignedString(r.totalOperations()), "", human(r.totalOperationsPerSecond()));
        ReportRecord s = r.summary();
        if (s != null) {
            out.printf(Locale.ROOT, "final %s: %s%n", RunResults.summaryLabel(r.spec()), Long.toUnsignedString(s.checksum()));
        }
        if (r.window() != null && r.rows().size() > 1) {
            out.printf(Locale.ROOT, "overlap %.3f (the span in which all vCPUs ran, of the longest run)%s%n",
                    r.window().overlap(), r.window().together() ? "" : notTogether(r));
        }
        printTscSkew(r, out);
        out.println();
        out.println("exits per vCPU:");
        for (int i = 0; i < r.outcome().exits().size(); i++) {
            Map<String, Long> e = r.outcome().exits().get(i);
            out.printf(Locale.ROOT, "  vcpu-%d %s%n", i, e);
        }
        out.printf(Locale.ROOT, "wall time %.3f s; check: %s%n", r.outcome().elapsed().toNanos() / 1e9, checkVerdict(r));
    }

    private static String notTogether(RunResults r) {
        return ": under " + RunWindow.MIN_OVERLAP + ", the vCPUs mostly ran one after another"
                + (r.spec().timed() ? "" : " (a count finishes at its own pace: --time S makes them run together)")
                + "; the figures are not comparable";
    }

    private static void printTscSkew(RunResults r, PrintStream out) {
        if (r.tscSkew().isEmpty()) {
            return;
        }
        double khz = r.outcome().tscKhz();
        long backwards = r.tscSkew().stream().mapToLong(TscProbe::backwards).max().orElse(0);
        out.printf(Locale.ROOT, "TSC skew vs vCPU 0 (from a token passed through shared memory; bounded by its round trip):%s%n",
                backwards == 0 ? " never backwards" : String.format(Locale.ROOT, " went BACKWARDS by %.1f us", backwards / khz * 1000));
        for (TscProbe p : r.tscSkew()) {
            out.printf(Locale.ROOT, "  vcpu-%d within [%.1f, %.1f] us (round trip %.1f us)%n", p.vcpu(),
                    p.skewLow() / khz * 1000, p.skewHigh() / khz * 1000, p.roundTrip() / khz * 1000);
        }
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
