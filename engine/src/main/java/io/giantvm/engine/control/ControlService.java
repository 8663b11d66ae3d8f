package io.giantvm.engine.control;

import io.giantvm.control.v1.ControlGrpc;
import io.giantvm.control.v1.GetStatsRequest;
import io.giantvm.control.v1.GetStatusRequest;
import io.giantvm.control.v1.NodeStats;
import io.giantvm.control.v1.NodeStatus;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/** The Control service: translates the engine's snapshots into the wire messages. */
final class ControlService extends ControlGrpc.ControlImplBase {
    private final EngineStatusSource source;
    private final Clock clock;

    ControlService(EngineStatusSource source, Clock clock) {
        this.source = source;
        this.clock = clock;
    }

    @Override
    public void getStatus(GetStatusRequest request, StreamObserver<NodeStatus> response) {
        EngineStatus s;
        try {
            s = source.status();
        } catch (RuntimeException e) {
            // A bug in the engine's source: the caller gets a clear status, the stack trace goes to the log.
            response.onError(Status.INTERNAL.withDescription("engine status unavailable: " + e).withCause(e)
                    .asRuntimeException());
            return;
        }
        NodeStatus.Builder b = NodeStatus.newBuilder();
        if (s.outcome() != null) {
            b.setOutcome(s.outcome().toWire());
        }
        response.onNext(b
                .setNodeIndex(s.nodeIndex())
                .setNodeCount(s.nodeCount())
                .setVmName(s.vmName())
                .setVcpusRunning(s.vcpusRunning())
                .setVcpusAssigned(s.vcpusAssigned())
                .setMeshPeersConnected(s.meshPeersConnected())
                .setGuestState(s.guestState().toWire())
                .setDetail(s.detail())
                .build());
        response.onCompleted();
    }

    @Override
    public void getStats(GetStatsRequest request, StreamObserver<NodeStats> response) {
        NodeStats.Builder b = NodeStats.newBuilder();
        try {
            b.setNodeIndex(source.status().nodeIndex());
            for (Map.Entry<String, Long> e : source.counters().entrySet()) {
                if (e.getValue() == null || e.getValue() < 0) {
                    throw new IllegalStateException("counter " + e.getKey() + " is " + e.getValue());
                }
                b.putCounters(e.getKey(), e.getValue());
            }
        } catch (RuntimeException e) {
            response.onError(Status.INTERNAL.withDescription("engine stats unavailable: " + e).withCause(e)
                    .asRuntimeException());
            return;
        }
        Instant now = clock.instant();
        b.setCapturedAtUnixNanos(now.getEpochSecond() * 1_000_000_000L + now.getNano());
        response.onNext(b.build());
        response.onCompleted();
    }
}
