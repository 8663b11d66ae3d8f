package io.giantvm.engine.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportCheckTest {

    private static final WorkloadSpec COMPUTE = WorkloadSpec.parse("compute", Map.of("iterations", "100", "seed", "5"));

    private static List<ReportRecord> goodRun(int vcpus) {
        List<ReportRecord> reports = new ArrayList<>();
        for (int v = 0; v < vcpus; v++) {
            reports.add(new ReportRecord(ReportKind.VCPU, v, Workload.COMPUTE, 100, 1000 + v, ExpectedChecksums.compute(COMPUTE, v),
                    v, 0, 0));
        }
        for (int ap = 1; ap < vcpus; ap++) {
            reports.add(new ReportRecord(ReportKind.TSC_PROBE, ap, Workload.COMPUTE, 10, 20, 30, 0, 0, 0));
        }
        reports.add(new ReportRecord(ReportKind.SUMMARY, vcpus, Workload.COMPUTE, 100L * vcpus, 1000 + vcpus - 1,
                ExpectedChecksums.summary(COMPUTE, vcpus), (long) vcpus * (vcpus - 1) / 2, 0, 0));
        return reports;
    }

    @Test
    void aCorrectRunHasNoProblems() {
        assertThat(ReportCheck.problems(COMPUTE, 3, goodRun(3))).isEmpty();
    }

    @Test
    void wrongChecksumIsNamed() {
        List<ReportRecord> run = goodRun(2);
        ReportRecord r = run.get(1);
        run.set(1, new ReportRecord(r.kind(), r.vcpu(), r.workload(), r.operations(), r.tscCycles(), r.checksum() + 1,
                r.interrupts(), r.extra0(), r.extra1()));
        assertThat(ReportCheck.problems(COMPUTE, 2, run)).singleElement().asString().startsWith("vCPU 1: checksum is ");
    }

    @Test
    void missingRecordsAndBadSummaryAreReported() {
        assertThat(ReportCheck.problems(COMPUTE, 3, goodRun(2)))
                .containsExactly("expected 4 reports (3 vCPUs and a summary) and 2 TSC probes, got 3 and 1");
        WorkloadSpec mutex = WorkloadSpec.parse("mutex", Map.of("iterations", "10"));
        List<ReportRecord> run = List.of(
                new ReportRecord(ReportKind.VCPU, 0, Workload.MUTEX, 10, 5, 0, 0, 1, 0),
                new ReportRecord(ReportKind.VCPU, 1, Workload.MUTEX, 10, 7, 0, 0, 1, 0),
                new ReportRecord(ReportKind.TSC_PROBE, 1, Workload.MUTEX, 1, 2, 3, 0, 0, 0),
                new ReportRecord(ReportKind.SUMMARY, 2, Workload.MUTEX, 20, 7, 19, 0, 1, 0));   // a lost update
        assertThat(ReportCheck.problems(mutex, 2, run))
                .containsExactly("final counter (sum of all vCPUs' acquisitions) is 19, expected 20");
    }

    @Test
    void aTimeWindowChecksWhatEachVcpuDidAndTheCounterAgainstTheirSum() {
        WorkloadSpec timed = WorkloadSpec.parse("mutex", Map.of("time", "1"));
        List<ReportRecord> run = new ArrayList<>(List.of(
                new ReportRecord(ReportKind.VCPU, 0, Workload.MUTEX, 640, 5, 0, 0, 1, 100),
                new ReportRecord(ReportKind.VCPU, 1, Workload.MUTEX, 1280, 7, 0, 0, 1, 101),
                new ReportRecord(ReportKind.TSC_PROBE, 1, Workload.MUTEX, 1, 2, 3, 0, 0, 0),
                new ReportRecord(ReportKind.SUMMARY, 2, Workload.MUTEX, 1920, 7, 1920, 0, 1, 0)));
        assertThat(ReportCheck.problems(timed, 2, run)).isEmpty();
        run.set(3, new ReportRecord(ReportKind.SUMMARY, 2, Workload.MUTEX, 1920, 7, 1919, 0, 1, 0));
        assertThat(ReportCheck.problems(timed, 2, run))
                .containsExactly("final counter (sum of all vCPUs' acquisitions) is 1919, expected 1920");
        run.set(0, new ReportRecord(ReportKind.VCPU, 0, Workload.MUTEX, 0, 5, 0, 0, 1, 100));
        assertThat(ReportCheck.problems(timed, 2, run)).contains("vCPU 0: did no work in its time window");
    }
}
