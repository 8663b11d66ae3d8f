package io.giantvm.engine.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.giantvm.engine.linux.InitReport;
import org.junit.jupiter.api.Test;

/** What the operator reads off the control API about a Linux guest (GuestOutcome.linux). */
class GuestOutcomeLinuxWireTest {
    @Test
    void theReportTravelsWithTheOutcome() {
        InitReport r = new InitReport();
        r.accept("[ 12.5] @@GIANTVM init uptime=12.34 nproc=2 kernel=6.1.0-57-cloud-amd64");
        r.accept("@@GIANTVM sysbench test=cpu threads=2 events=240 time_s=1.0 events_per_s=239.9 lat_min_ms=1 lat_avg_ms=8.3 lat_max_ms=20 lat_p95_ms=9.1");
        r.accept("@@GIANTVM done status=0");
        var wire = new GuestOutcome(true, 0, "Linux ...", r).toWire();
        assertThat(wire.getLinux().getOs()).isEqualTo("Linux 6.1.0-57-cloud-amd64");
        assertThat(wire.getLinux().getKernel()).isEqualTo("6.1.0-57-cloud-amd64");
        assertThat(wire.getLinux().getNproc()).isEqualTo(2);
        assertThat(wire.getLinux().getBootSeconds()).isEqualTo(12.34);
        assertThat(wire.getLinux().getInitStatus()).isZero();
        assertThat(wire.getLinux().getSysbench(0).getTest()).isEqualTo("cpu");
        assertThat(wire.getLinux().getSysbench(0).getEvents()).isEqualTo(240);
        assertThat(wire.getLinux().getSysbench(0).getEventsPerSecond()).isEqualTo(239.9);
        assertThat(wire.getLinux().getSysbench(0).getLatencyP95Ms()).isEqualTo(9.1);
    }

    @Test
    void initThatNeverFinishedSaysMinusOneAndNoReportMeansNoLinux() {
        InitReport r = new InitReport();
        r.accept("@@GIANTVM init uptime=30.0 nproc=2 kernel=6.1.0-57-cloud-amd64");
        assertThat(new GuestOutcome(false, -1, "node 1 is down", r).toWire().getLinux().getInitStatus()).isEqualTo(-1);
        assertThat(new GuestOutcome(false, -1, "crashed before /init", new InitReport()).toWire().hasLinux()).isFalse();
        assertThat(new GuestOutcome(true, 0, "mutex ok").toWire().hasLinux()).isFalse();
    }
}
