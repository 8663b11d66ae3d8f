package io.giantvm.engine.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TscProbeTest {

    private static ReportRecord probe(int vcpu, long t1, long t2, long t3) {
        return new ReportRecord(ReportKind.TSC_PROBE, vcpu, Workload.MUTEX, t1, t2, t3, 0, 0, 0);
    }

    @Test
    void oneClockGivesBoundsAroundZeroAndNothingBackwards() {
        TscProbe p = TscProbe.of(probe(1, 1_000, 1_400, 2_000));
        assertThat(p.skewLow()).isEqualTo(-600);
        assertThat(p.skewHigh()).isEqualTo(400);
        assertThat(p.roundTrip()).isEqualTo(1_000);
        assertThat(p.backwards()).isZero();
    }

    @Test
    void anApClockBehindTheBspsShowsAsTimeGoingBackwards() {
        // Each node's KVM starts its guest TSC at 0 when it creates the vCPU: an AP created 5 ms later reads less.
        TscProbe behind = TscProbe.of(probe(1, 10_000_000, 2_000, 10_003_000));
        assertThat(behind.backwards()).isEqualTo(9_998_000);
        TscProbe ahead = TscProbe.of(probe(2, 1_000, 9_000_000, 4_000));
        assertThat(ahead.backwards()).isEqualTo(8_996_000);
        assertThat(ahead.skewLow()).isPositive();
    }

    @Test
    void onlyProbeRecordsAreProbes() {
        ReportRecord vcpu = new ReportRecord(ReportKind.VCPU, 0, Workload.MUTEX, 1, 2, 3, 0, 1, 5);
        assertThat(TscProbe.of(List.of(vcpu, probe(1, 1, 2, 3)))).extracting(TscProbe::vcpu).containsExactly(1);
    }
}
