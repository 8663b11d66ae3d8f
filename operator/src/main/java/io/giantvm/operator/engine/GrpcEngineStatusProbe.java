package io.giantvm.operator.engine;

import io.fabric8.kubernetes.api.model.Pod;
import io.giantvm.control.v1.ControlGrpc;
import io.giantvm.control.v1.GetStatusRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.giantvm.operator.resources.EngineLayout;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * GetStatus over gRPC. Channels are kept per target: a pod's IP is stable for its life, and gRPC
 * channels reconnect by themselves. Channels of pods that are gone are not reaped eagerly; an idle
 * channel holds no connection after gRPC's idle timeout, so the cost is a map entry.
 */
public final class GrpcEngineStatusProbe implements EngineStatusProbe {
    /** A reconciliation asks every node in turn: keep one slow engine from stalling it. */
    private static final long DEADLINE_MILLIS = 1_000;

    private final Function<Pod, Optional<String>> target;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    /** A reconciliation still running while the operator stops must not open channels nobody closes. */
    private volatile boolean closed;

    /** {@code target} maps a pod to {@code host:port}, or empty when the pod has no address yet. */
    public GrpcEngineStatusProbe(Function<Pod, Optional<String>> target) {
        this.target = target;
    }

    /** The pod's IP and the engine's control port. */
    public static GrpcEngineStatusProbe podIp() {
        return new GrpcEngineStatusProbe(pod -> Optional.ofNullable(pod.getStatus())
                .map(s -> s.getPodIP())
                .filter(ip -> !ip.isBlank())
                .map(ip -> (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + EngineLayout.CONTROL_PORT));
    }

    @Override
    public EngineReport query(Pod pod) {
        if (closed) {
            return EngineReport.failed("operator shutting down");
        }
        Optional<String> where = target.apply(pod);
        if (where.isEmpty()) {
            return EngineReport.failed("pod has no IP yet");
        }
        ManagedChannel channel = channels.computeIfAbsent(where.get(),
                t -> NettyChannelBuilder.forTarget(t).usePlaintext().build());
        try {
            return EngineReport.of(ControlGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(DEADLINE_MILLIS, TimeUnit.MILLISECONDS)
                    .getStatus(GetStatusRequest.getDefaultInstance()));
        } catch (StatusRuntimeException e) {
            return EngineReport.failed("control API at " + where.get() + ": " + e.getStatus().getCode()
                    + (e.getStatus().getDescription() == null ? "" : " " + e.getStatus().getDescription()));
        }
    }

    @Override
    public void close() {
        closed = true;
        channels.values().forEach(ManagedChannel::shutdownNow);
        channels.clear();
    }
}
