package io.giantvm.engine.control;

import io.giantvm.control.v1.ControlGrpc;
import io.giantvm.control.v1.GetStatsRequest;
import io.giantvm.control.v1.GetStatusRequest;
import io.giantvm.control.v1.GuestState;
import io.giantvm.control.v1.NodeStats;
import io.giantvm.control.v1.NodeStatus;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The control API over a real loopback gRPC port, fed by a settable status source. */
class ControlServerTest {
    private final SettableSource source = new SettableSource();
    private ControlServer server;
    private ManagedChannel channel;

    @BeforeEach
    void start() {
        source.status.set(new EngineStatus(1, 3, "demo", 0, 2, 0, GuestRunState.WAITING_FOR_PEERS, "waiting"));
        server = ControlServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), source);
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
    }

    @Test
    void getStatusReportsWhatTheEngineSays() {
        source.status.set(new EngineStatus(1, 3, "demo", 2, 2, 2, GuestRunState.RUNNING, ""));
        NodeStatus s = control().getStatus(GetStatusRequest.getDefaultInstance());
        assertThat(s.getNodeIndex()).isEqualTo(1);
        assertThat(s.getNodeCount()).isEqualTo(3);
        assertThat(s.getVmName()).isEqualTo("demo");
        assertThat(s.getVcpusRunning()).isEqualTo(2);
        assertThat(s.getVcpusAssigned()).isEqualTo(2);
        assertThat(s.getMeshPeersConnected()).isEqualTo(2);
        assertThat(s.getGuestState()).isEqualTo(GuestState.GUEST_STATE_RUNNING);
    }

    @Test
    void getStatsCarriesEveryCounterAndATimestamp() {
        source.counters.set(Map.of("dsm.read_faults", 42L, "exit.io", 7L, "dsm.pages_sent", 0L));
        long before = System.currentTimeMillis() * 1_000_000L;
        NodeStats stats = control().getStats(GetStatsRequest.getDefaultInstance());
        assertThat(stats.getNodeIndex()).isEqualTo(1);
        assertThat(stats.getCountersMap()).containsExactlyInAnyOrderEntriesOf(
                Map.of("dsm.read_faults", 42L, "exit.io", 7L, "dsm.pages_sent", 0L));
        assertThat(stats.getCapturedAtUnixNanos()).isGreaterThanOrEqualTo(before);
    }

    @Test
    void aBrokenSourceIsAnInternalErrorNotAHang() {
        source.failing.set(true);
        assertThatThrownBy(() -> control().getStatus(GetStatusRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
                    assertThat(e.getStatus().getDescription()).contains("engine status unavailable");
                });
    }

    @Test
    void readinessFollowsMeshAndGuestLivenessFollowsFailure() throws InterruptedException {
        // Starting state: waiting for peers: alive, not ready.
        assertThat(health(ControlEndpoints.LIVENESS_SERVICE)).isEqualTo(ServingStatus.SERVING);
        assertThat(health(ControlEndpoints.READINESS_SERVICE)).isEqualTo(ServingStatus.NOT_SERVING);

        source.status.set(new EngineStatus(1, 3, "demo", 2, 2, 2, GuestRunState.RUNNING, ""));
        awaitHealth(ControlEndpoints.READINESS_SERVICE, ServingStatus.SERVING);

        source.status.set(new EngineStatus(1, 3, "demo", 0, 2, 2, GuestRunState.FAILED, "vcpu-2: KVM_RUN EFAULT"));
        awaitHealth(ControlEndpoints.LIVENESS_SERVICE, ServingStatus.NOT_SERVING);
        assertThat(health(ControlEndpoints.READINESS_SERVICE)).isEqualTo(ServingStatus.NOT_SERVING);
    }

    @Test
    void aNodeThatStaysUpReportsItsGuestsEndAndStaysAlive() throws InterruptedException {
        source.status.set(new EngineStatus(1, 3, "demo", 2, 2, 2, GuestRunState.RUNNING, ""));
        awaitHealth(ControlEndpoints.READINESS_SERVICE, ServingStatus.SERVING);

        EngineStatus running = source.status.get();
        source.status.set(running.ended(new GuestOutcome(false, -1, "node 2 is down")));

        NodeStatus s = control().getStatus(GetStatusRequest.getDefaultInstance());
        assertThat(s.getGuestState()).isEqualTo(GuestState.GUEST_STATE_FAILED);
        assertThat(s.hasOutcome()).isTrue();
        assertThat(s.getOutcome().getSucceeded()).isFalse();
        assertThat(s.getOutcome().getExitStatus()).isEqualTo(-1);
        assertThat(s.getOutcome().getResult()).isEqualTo("node 2 is down");
        assertThat(s.getVcpusRunning()).isZero();
        awaitHealth(ControlEndpoints.READINESS_SERVICE, ServingStatus.NOT_SERVING);
        // Failed, but reporting it: a container restart would lose the result and cannot heal the VM.
        assertThat(health(ControlEndpoints.LIVENESS_SERVICE)).isEqualTo(ServingStatus.SERVING);

        source.status.set(running.ended(new GuestOutcome(true, 0, "mutex on 4 vCPUs: counter 80000, expected 80000")));
        NodeStatus ok = control().getStatus(GetStatusRequest.getDefaultInstance());
        assertThat(ok.getGuestState()).isEqualTo(GuestState.GUEST_STATE_HALTED);
        assertThat(ok.getOutcome().getSucceeded()).isTrue();
        assertThat(ok.getDetail()).contains("counter 80000");
    }

    @Test
    void aRelayAnswersFromWhicheverSourceItFollowsNow() {
        StatusRelay relay = new StatusRelay(source);
        EngineStatus last = new EngineStatus(0, 2, "demo", 1, 1, 1, GuestRunState.RUNNING, "");
        assertThat(relay.status()).isSameAs(source.status.get());
        relay.follow(StatusRelay.fixed(last.ended(new GuestOutcome(true, 0, "done")), Map.of("exit.io", 3L)));
        assertThat(relay.status().outcome().result()).isEqualTo("done");
        assertThat(relay.counters()).containsEntry("exit.io", 3L);
    }

    @Test
    void closeReleasesThePort() throws Exception {
        int port = server.port();
        stop();
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
        start(); // so that @AfterEach has something to close
    }

    @Test
    void aTakenPortIsAOneLineError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), taken.getLocalPort());
            assertThatThrownBy(() -> ControlServer.start(address, source))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("cannot serve the control API on")
                    .hasMessageContaining(String.valueOf(taken.getLocalPort()));
        }
    }

    @Test
    void statusRejectsImpossibleValues() {
        assertThatThrownBy(() -> new EngineStatus(3, 3, "x", 0, 1, 0, GuestRunState.RUNNING, ""))
                .hasMessageContaining("node index 3 is not in 0..2");
        assertThatThrownBy(() -> new EngineStatus(0, 2, "x", 2, 1, 0, GuestRunState.RUNNING, ""))
                .hasMessageContaining("vCPUs running 2");
        assertThatThrownBy(() -> new EngineStatus(0, 2, "x", 1, 1, 2, GuestRunState.RUNNING, ""))
                .hasMessageContaining("mesh peers connected 2 is not in 0..1");
    }

    private ControlGrpc.ControlBlockingStub control() {
        return ControlGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    private ServingStatus health(String service) {
        return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    }

    /** The health service is refreshed on a timer; wait a bounded time for it to catch up. */
    private void awaitHealth(String service, ServingStatus expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        ServingStatus last = health(service);
        while (last != expected && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(10); // poll step of a bounded wait; the refresh period is 250 ms
            last = health(service);
        }
        assertThat(last).as("health of '%s'", service).isEqualTo(expected);
    }

    private static final class SettableSource implements EngineStatusSource {
        final AtomicReference<EngineStatus> status = new AtomicReference<>();
        final AtomicReference<Map<String, Long>> counters = new AtomicReference<>(Map.of());
        final AtomicReference<Boolean> failing = new AtomicReference<>(false);

        @Override
        public EngineStatus status() {
            if (failing.get()) {
                throw new IllegalStateException("source broken on purpose");
            }
            return status.get();
        }

        @Override
        public Map<String, Long> counters() {
            return counters.get();
        }
    }
}
