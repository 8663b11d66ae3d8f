package io.giantvm.engine.guest;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks a run's report records against what the spec says they must be: one record per vCPU in APIC-id
 * order, then the summary; operations, extra0 and checksums as the host computes them. tsc_cycles and
 * interrupts are measurements, so only their summary arithmetic is checked.
 */
public final class ReportCheck {
    private ReportCheck() {}

    /** Human-readable problems, empty if the run is right. */
    public static List<String> problems(WorkloadSpec spec, int vcpus, List<ReportRecord> reports) {
        List<String> problems = new ArrayList<>();
        if (reports.size() != vcpus + 1) {
            problems.add("expected " + (vcpus + 1) + " reports (" + vcpus + " vCPUs and a summary), got " + reports.size());
            return problems;
        }
        long maxTsc = 0, interrupts = 0;
        for (int v = 0; v < vcpus; v++) {
            ReportRecord r = reports.get(v);
            String who = "vCPU " + v + ": ";
            if (r.kind() != ReportKind.VCPU || r.vcpu() != v) {
                problems.add("report " + v + " should be vCPU " + v + "'s, is " + r.kind() + " of vcpu " + r.vcpu());
                continue;
            }
            check(problems, who + "workload", spec.workload().code(), r.workload().code());
            check(problems, who + "operations", spec.operationsPerVcpu(), r.operations());
            check(problems, who + "extra0", spec.extra0(), r.extra0());
            check(problems, who + "checksum", ExpectedChecksums.perVcpu(spec, v), r.checksum());
            maxTsc = Math.max(maxTsc, r.tscCycles());
            interrupts += r.interrupts();
        }
        ReportRecord s = reports.get(vcpus);
        if (s.kind() != ReportKind.SUMMARY) {
            problems.add("last report should be the summary, is " + s.kind());
            return problems;
        }
        check(problems, "summary vcpu count", vcpus, s.vcpu());
        check(problems, "summary operations", vcpus * spec.operationsPerVcpu(), s.operations());
        check(problems, "summary checksum", ExpectedChecksums.summary(spec, vcpus), s.checksum());
        check(problems, "summary tsc_cycles (max)", maxTsc, s.tscCycles());
        check(problems, "summary interrupts (total)", interrupts, s.interrupts());
        return problems;
    }

    private static void check(List<String> problems, String what, long expected, long actual) {
        if (expected != actual) {
            problems.add(what + " is " + Long.toUnsignedString(actual) + ", expected " + Long.toUnsignedString(expected));
        }
    }
}
