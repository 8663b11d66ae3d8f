package io.giantvm.engine.cli;

import io.giantvm.engine.config.NodeEntry;
import io.giantvm.engine.config.VmDescription;
import io.giantvm.engine.control.EngineStatus;
import io.giantvm.engine.control.EngineStatusSource;
import io.giantvm.engine.control.GuestOutcome;
import io.giantvm.engine.control.GuestRunState;
import io.giantvm.engine.guest.WorkloadSpec;
import io.giantvm.engine.mesh.TransportKind;
import io.giantvm.engine.vm.NodeFailureException;
import io.giantvm.engine.vm.RunOutcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What a node that stays up says: whom it waits for, and how its guest ended. */
class NodeLifecycleTest {
    private static final WorkloadSpec MUTEX = WorkloadSpec.parse("mutex", Map.of());

    @Test
    void whileWaitingForPeersTheNodeNamesThem() {
        VmDescription d = new VmDescription("demo", 1, 64L << 20, 0, TransportKind.TCP, Optional.empty(),
                List.of(new NodeEntry(0, "demo-0.demo-mesh", 7100, 7200), new NodeEntry(1, "demo-1.demo-mesh", 7100, 7200),
                        new NodeEntry(2, "demo-2.demo-mesh", 7100, 7200)));
        EngineStatusSource machine = new EngineStatusSource() {
            @Override
            public EngineStatus status() {
                return new EngineStatus(1, 3, "demo", 0, 1, 0, GuestRunState.WAITING_FOR_PEERS, "");
            }

            @Override
            public Map<String, Long> counters() {
                return Map.of();
            }
        };
        EngineStatus s = NodeLifecycle.naming(machine, d, 1).status();
        assertThat(s.detail()).contains("no deadline").contains("node 0 at demo-0.demo-mesh:7100")
                .contains("node 2 at demo-2.demo-mesh:7100").doesNotContain("node 1 at");
        assertThat(NodeLifecycle.starting(d, 1).status().guestState()).isEqualTo(GuestRunState.STARTING);
        assertThat(NodeLifecycle.FOREVER.toNanos() + System.nanoTime()).as("no overflow in deadlines").isPositive();
    }

    @Test
    void aLostNodeIsAFailedOutcomeWithItsMessage() {
        RunOutcome run = new RunOutcome(-1, new NodeFailureException(1, "node 1 is down"), List.of(), Duration.ZERO, List.of(), 0);
        GuestOutcome o = NodeLifecycle.outcome(run, MUTEX, 2, true);
        assertThat(o.succeeded()).isFalse();
        assertThat(o.exitStatus()).isEqualTo(-1);
        assertThat(o.result()).isEqualTo("node 1 is down");
    }

    @Test
    void aNonZeroStatusFailsAndANonIoNodeOnlyKnowsTheStatus() {
        RunOutcome bad = new RunOutcome(3, null, List.of(), Duration.ZERO, List.of(), 0);
        GuestOutcome o = NodeLifecycle.outcome(bad, MUTEX, 2, false);
        assertThat(o.succeeded()).isFalse();
        assertThat(o.exitStatus()).isEqualTo(3);
        assertThat(o.result()).contains("status 3");
        GuestOutcome ok = NodeLifecycle.outcome(new RunOutcome(0, null, List.of(), Duration.ZERO, List.of(), 0), MUTEX, 2, false);
        assertThat(ok.succeeded()).isTrue();
        assertThat(ok.result()).contains("I/O node");
    }

    @Test
    void theIoNodeChecksTheReportsAndSaysWhatIsMissing() {
        GuestOutcome o = NodeLifecycle.outcome(new RunOutcome(0, null, List.of(), Duration.ZERO, List.of(), 0), MUTEX, 2, true);
        assertThat(o.succeeded()).as("status 0 without any report is not a success").isFalse();
        assertThat(o.result()).contains("no summary report");
    }
}
