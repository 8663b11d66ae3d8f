package io.giantvm.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.giantvm.engine.control.GuestOutcome;
import io.giantvm.engine.linux.InitReport;
import io.giantvm.engine.vm.NodeFailureException;
import io.giantvm.engine.vm.RunOutcome;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a node of a Linux VM reports its guest's end: the I/O node with /init's report, the others plainly. */
class LinuxNodeOutcomeTest {
    private static final List<String> TESTS = List.of("cpu", "mutex");

    private static RunOutcome ended(int status, Throwable failure) {
        return new RunOutcome(status, failure, List.of(), Duration.ofSeconds(30), List.of(), 2_000_000);
    }

    private static InitReport report(String... lines) {
        InitReport r = new InitReport();
        for (String l : lines) {
            r.accept("[   12.5] " + l);
        }
        return r;
    }

    @Test
    void theIoNodeSaysWhatLinuxSawAndMeasured() {
        InitReport r = report("@@GIANTVM init uptime=12.34 nproc=2 kernel=6.1.0-57-cloud-amd64",
                "@@GIANTVM sysbench test=cpu threads=2 events=240 time_s=1.0 events_per_s=239.9 lat_min_ms=1 lat_avg_ms=8.3 lat_max_ms=20 lat_p95_ms=9.1",
                "@@GIANTVM sysbench test=mutex threads=2 events=2 time_s=1.2 events_per_s=1.6 lat_min_ms=500 lat_avg_ms=600 lat_max_ms=700 lat_p95_ms=700",
                "@@GIANTVM done status=0");
        GuestOutcome o = NodeLifecycle.linuxOutcome(ended(0, null), 2, TESTS, r);
        assertThat(o.succeeded()).isTrue();
        assertThat(o.result()).isEqualTo("Linux 6.1.0-57-cloud-amd64 on 2 vCPUs: nproc 2; sysbench cpu 239.9 events/s, mutex 1.6 events/s");
        assertThat(o.linux()).isSameAs(r);
    }

    @Test
    void aGuestThatSawOneCpuOfTwoFailsTheCheck() {
        InitReport r = report("@@GIANTVM init uptime=30.0 nproc=1 kernel=6.1.0-57-cloud-amd64",
                "@@GIANTVM sysbench test=cpu threads=1 events=120 time_s=1.0 events_per_s=119.0 lat_min_ms=1 lat_avg_ms=8 lat_max_ms=9 lat_p95_ms=9",
                "@@GIANTVM done status=0");
        GuestOutcome o = NodeLifecycle.linuxOutcome(ended(0, null), 2, List.of("cpu"), r);
        assertThat(o.succeeded()).isFalse();
        assertThat(o.result()).contains("nproc 1").contains("the guest sees 1 CPUs, the VM has 2");
    }

    @Test
    void aLostNodeFailsWithItsMessageAndKeepsWhatInitReported() {
        InitReport r = report("@@GIANTVM init uptime=30.0 nproc=2 kernel=6.1.0-57-cloud-amd64");
        GuestOutcome o = NodeLifecycle.linuxOutcome(ended(-1, new NodeFailureException(1, "node 1 is down")), 2, TESTS, r);
        assertThat(o.succeeded()).isFalse();
        assertThat(o.exitStatus()).isEqualTo(-1);
        assertThat(o.result()).isEqualTo("node 1 is down");
        assertThat(o.linux()).isSameAs(r);
    }

    @Test
    void otherNodesKnowOnlyThatTheGuestPoweredOff() {
        GuestOutcome o = NodeLifecycle.linuxOutcome(ended(0, null), 2, TESTS, null);
        assertThat(o.succeeded()).isTrue();
        assertThat(o.linux()).isNull();
    }
}
