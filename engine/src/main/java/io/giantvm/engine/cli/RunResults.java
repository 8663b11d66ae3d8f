package io.giantvm.engine.cli;

import io.giantvm.engine.guest.ExpectedChecksums;
import io.giantvm.engine.guest.ReportRecord;
import io.giantvm.engine.guest.TscProbe;
import io.giantvm.engine.guest.Workload;
import io.giantvm.engine.guest.WorkloadSpec;
import io.giantvm.engine.vm.GuestReport;
import io.giantvm.engine.vm.RunOutcome;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The guest's reports turned into figures a person reads (operations per second from TSC cycles, when each
 * vCPU ran on the VM's one TSC, whether they ran together, how far apart the vCPUs' TSCs are) and checked
 * against what the host computes, so a broken lock or a lost write shows.
 *
 * @param window when the vCPUs ran ({@code null} if none reported)
 * @param tscSkew one TSC probe per application processor (see {@link TscProbe})
 */
public record RunResults(WorkloadSpec spec, int vcpus, List<Row> rows, ReportRecord summary,
                         List<String> problems, RunOutcome outcome, RunWindow window, List<TscProbe> tscSkew) {

    /**
     * One vCPU's figures; {@code startSeconds}/{@code stopSeconds} count from the first vCPU's start. In
     * time-window mode {@code operations} are the events the vCPU completed in the window.
     */
    public record Row(int vcpu, long operations, double seconds, double operationsPerSecond,
                      long checksum, long expectedChecksum, long interrupts, long startTsc, double startSeconds,
                      double stopSeconds) {}

    public static RunResults of(WorkloadSpec spec, int vcpus, RunOutcome outcome) {
        List<ReportRecord> vcpuRecords = new ArrayList<>();
        List<TscProbe> probes = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        ReportRecord summary = null;
        for (GuestReport r : outcome.reports()) {
            ReportRecord rec;
            try {
                rec = ReportRecord.decode(r.record());
            } catch (RuntimeException e) {
                problems.add("vCPU " + r.vcpu() + " sent an unreadable report: " + e.getMessage());
                continue;
            }
            switch (rec.kind()) {
                case SUMMARY -> summary = rec;
                case TSC_PROBE -> probes.add(TscProbe.of(rec));
                case VCPU -> vcpuRecords.add(rec);
            }
        }
        vcpuRecords.sort(Comparator.comparingInt(ReportRecord::vcpu));
        probes.sort(Comparator.comparingInt(TscProbe::vcpu));
        RunWindow window = RunWindow.of(vcpuRecords.stream()
                .map(rec -> new RunWindow.Span(rec.extra1(), rec.extra1() + rec.tscCycles())).toList());
        double tscHz = outcome.tscKhz() * 1000.0;
        List<Row> rows = new ArrayList<>();
        long operations = 0, expectedSum = 0;
        for (ReportRecord rec : vcpuRecords) {
            double seconds = tscHz > 0 ? unsigned(rec.tscCycles()) / tscHz : Double.NaN;
            double start = tscHz > 0 ? (rec.extra1() - window.earliestStartTsc()) / tscHz : Double.NaN;
            long expected = ExpectedChecksums.perVcpu(spec, rec.vcpu(), rec.operations());
            rows.add(new Row(rec.vcpu(), rec.operations(), seconds,
                    seconds > 0 ? rec.operations() / seconds : Double.NaN, rec.checksum(), expected, rec.interrupts(),
                    rec.extra1(), start, start + seconds));
            if (rec.checksum() != expected) {
                problems.add("vCPU %d checksum %s, host computed %s".formatted(rec.vcpu(),
                        Long.toUnsignedString(rec.checksum()), Long.toUnsignedString(expected)));
            }
            operations += rec.operations();
            expectedSum += expected;
        }
        if (outcome.succeeded()) {
            if (rows.size() != vcpus) {
                problems.add(rows.size() + " of " + vcpus + " vCPUs reported");
            }
            if (summary == null) {
                problems.add("the guest sent no summary report");
            } else {
                // mutex: one increment of the shared counter per acquisition, of every vCPU: no update may be lost
                long expected = spec.workload() == Workload.MUTEX ? operations : expectedSum;
                if (summary.checksum() != expected) {
                    problems.add("final %s %s, expected %s".formatted(summaryLabel(spec),
                            Long.toUnsignedString(summary.checksum()), Long.toUnsignedString(expected)));
                }
            }
        }
        return new RunResults(spec, vcpus, List.copyOf(rows), summary, List.copyOf(problems), outcome, window,
                List.copyOf(probes));
    }

    private static double unsigned(long v) {
        return v >= 0 ? v : (v >>> 1) * 2.0 + (v & 1);
    }

    public boolean ok() {
        return outcome.succeeded() && problems.isEmpty();
    }

    public long totalOperations() {
        return rows.stream().mapToLong(Row::operations).sum();
    }

    /** The largest distance between an AP's TSC and the BSP's that the probes allow, in microseconds. */
    public double maxTscSkewMicros() {
        double khz = outcome.tscKhz();
        return tscSkew.stream().mapToDouble(p -> Math.max(Math.abs(p.skewLow()), Math.abs(p.skewHigh())) / khz * 1000)
                .max().orElse(0);
    }

    /** Aggregate rate: each vCPU's rate summed, as sysbench reports threads. */
    public double totalOperationsPerSecond() {
        return rows.stream().mapToDouble(Row::operationsPerSecond).filter(d -> !Double.isNaN(d)).sum();
    }

    public static String summaryLabel(WorkloadSpec spec) {
        return switch (spec.workload()) {
            case MUTEX -> "counter";
            case MEMORY -> "checksum";
            case FALSESHARE -> "counter sum";
            case COMPUTE -> "result sum";
        };
    }

    public static String operationUnit(WorkloadSpec spec) {
        return switch (spec.workload()) {
            case MEMORY -> "bytes";
            case MUTEX -> "lock acquisitions";
            case FALSESHARE, COMPUTE -> "iterations";
        };
    }
}
