package io.giantvm.engine.cli;

import io.giantvm.engine.guest.ExpectedChecksums;
import io.giantvm.engine.guest.ReportKind;
import io.giantvm.engine.guest.ReportRecord;
import io.giantvm.engine.guest.WorkloadSpec;
import io.giantvm.engine.vm.GuestReport;
import io.giantvm.engine.vm.RunOutcome;

import java.util.ArrayList;
import java.util.List;

/**
 * The guest's reports turned into figures a person reads (operations per second from TSC
 * cycles) and checked against what the host computes, so a broken lock or a lost write shows.
 */
public record RunResults(WorkloadSpec spec, int vcpus, List<Row> rows, ReportRecord summary,
                         List<String> problems, RunOutcome outcome) {

    /** One vCPU's figures. */
    public record Row(int vcpu, long operations, double seconds, double operationsPerSecond,
                      long checksum, long expectedChecksum, long interrupts) {}

    public static RunResults of(WorkloadSpec spec, int vcpus, RunOutcome outcome) {
        List<Row> rows = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        ReportRecord summary = null;
        double tscHz = outcome.tscKhz() * 1000.0;
        for (GuestReport r : outcome.reports()) {
            ReportRecord rec;
            try {
                rec = ReportRecord.decode(r.record());
            } catch (RuntimeException e) {
                problems.add("vCPU " + r.vcpu() + " sent an unreadable report: " + e.getMessage());
                continue;
            }
            if (rec.kind() == ReportKind.SUMMARY) {
                summary = rec;
                continue;
            }
            double seconds = tscHz > 0 ? unsigned(rec.tscCycles()) / tscHz : Double.NaN;
            long expected = ExpectedChecksums.perVcpu(spec, rec.vcpu());
            rows.add(new Row(rec.vcpu(), rec.operations(), seconds,
                    seconds > 0 ? rec.operations() / seconds : Double.NaN, rec.checksum(), expected, rec.interrupts()));
            if (rec.checksum() != expected) {
                problems.add("vCPU %d checksum %s, host computed %s".formatted(rec.vcpu(),
                        Long.toUnsignedString(rec.checksum()), Long.toUnsignedString(expected)));
            }
        }
        rows.sort((a, b) -> Integer.compare(a.vcpu(), b.vcpu()));
        if (outcome.succeeded()) {
            if (rows.size() != vcpus) {
                problems.add(rows.size() + " of " + vcpus + " vCPUs reported");
            }
            if (summary == null) {
                problems.add("the guest sent no summary report");
            } else {
                long expected = ExpectedChecksums.summary(spec, vcpus);
                if (summary.checksum() != expected) {
                    problems.add("final %s %s, expected %s".formatted(summaryLabel(spec),
                            Long.toUnsignedString(summary.checksum()), Long.toUnsignedString(expected)));
                }
            }
        }
        return new RunResults(spec, vcpus, List.copyOf(rows), summary, List.copyOf(problems), outcome);
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
