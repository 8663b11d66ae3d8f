package io.giantvm.engine.guest;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks a run's report records against what the spec says they must be: one record per vCPU in APIC-id
 * order, one TSC probe per application processor, then the summary; operations, extra0 and checksums as the
 * host computes them. In time-window mode each vCPU reports how much it did, and its checksum must match that
 * amount; the mutex counter must equal the sum of all vCPUs' acquisitions (a lost update shows). tsc_cycles,
 * start times and interrupts are measurements, so only their summary arithmetic is checked.
 */
public final class ReportCheck {
    private ReportCheck() {}

    /** Human-readable problems, empty if the run is right. */
    public static List<String> problems(WorkloadSpec spec, int vcpus, List<ReportRecord> reports) {
        List<String> problems = new ArrayList<>();
        List<TscProbe> probes = TscProbe.of(reports);
        List<ReportRecord> results = reports.stream().filter(r -> r.kind() != ReportKind.TSC_PROBE).toList();
        if (results.size() != vcpus + 1 || probes.size() != vcpus - 1) {
            problems.add("expected " + (vcpus + 1) + " reports (" + vcpus + " vCPUs and a summary) and " + (vcpus - 1)
                    + " TSC probes, got " + results.size() + " and " + probes.size());
            return problems;
        }
        for (int i = 0; i < probes.size(); i++) {
            if (probes.get(i).vcpu() != i + 1) {
                problems.add("TSC probe " + i + " should be of vCPU " + (i + 1) + ", is of vCPU " + probes.get(i).vcpu());
            }
        }
        long maxTsc = 0, interrupts = 0, operations = 0, checksum = 0;
        for (int v = 0; v < vcpus; v++) {
            ReportRecord r = results.get(v);
            String who = "vCPU " + v + ": ";
            if (r.kind() != ReportKind.VCPU || r.vcpu() != v) {
                problems.add("report " + v + " should be vCPU " + v + "'s, is " + r.kind() + " of vcpu " + r.vcpu());
                continue;
            }
            check(problems, who + "workload", spec.workload().code(), r.workload().code());
            if (spec.timed()) {
                checkTimedOperations(problems, who, spec, r.operations());
            } else {
                check(problems, who + "operations", spec.operationsPerVcpu(), r.operations());
            }
            check(problems, who + "extra0", spec.extra0(), r.extra0());
            long expected = ExpectedChecksums.perVcpu(spec, v, r.operations());
            check(problems, who + "checksum", expected, r.checksum());
            maxTsc = Math.max(maxTsc, r.tscCycles());
            interrupts += r.interrupts();
            operations += r.operations();
            checksum += expected;
        }
        ReportRecord s = results.get(vcpus);
        if (s.kind() != ReportKind.SUMMARY) {
            problems.add("last report should be the summary, is " + s.kind());
            return problems;
        }
        check(problems, "summary vcpu count", vcpus, s.vcpu());
        check(problems, "summary operations", operations, s.operations());
        // mutex: the final shared counter, one increment per acquisition of every vCPU: no update may be lost
        check(problems, spec.workload() == Workload.MUTEX ? "final counter (sum of all vCPUs' acquisitions)"
                : "summary checksum", spec.workload() == Workload.MUTEX ? operations : checksum, s.checksum());
        check(problems, "summary tsc_cycles (max)", maxTsc, s.tscCycles());
        check(problems, "summary interrupts (total)", interrupts, s.interrupts());
        return problems;
    }

    private static void checkTimedOperations(List<String> problems, String who, WorkloadSpec spec, long operations) {
        if (operations <= 0) {
            problems.add(who + "did no work in its time window");
        } else if (spec.workload() == Workload.MEMORY && operations % spec.blockBytes() != 0) {
            problems.add(who + "operations " + operations + " are not whole blocks of " + spec.blockBytes());
        }
    }

    private static void check(List<String> problems, String what, long expected, long actual) {
        if (expected != actual) {
            problems.add(what + " is " + Long.toUnsignedString(actual) + ", expected " + Long.toUnsignedString(expected));
        }
    }
}
