package io.giantvm.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.giantvm.control.v1.ControlGrpc;
import io.giantvm.control.v1.GetStatusRequest;
import io.giantvm.control.v1.GuestState;
import io.giantvm.control.v1.NodeStatus;
import io.giantvm.operator.engine.GrpcEngineStatusProbe;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Real gRPC control servers on loopback, one per node index, standing in for the engines of the
 * hypervisor pods (all of which the fake kubelet gives the IP 127.0.0.1). Each answers GetStatus from
 * a state the test can change; by default a running guest with a complete mesh.
 */
final class FakeEngines implements AutoCloseable {
    private final Map<Integer, Server> servers = new ConcurrentHashMap<>();
    private final Map<Integer, GuestState> guestStates = new ConcurrentHashMap<>();
    private volatile int nodeCount;
    private volatile int vcpusPerNode;

    FakeEngines(int nodeCount, int vcpusPerNode) {
        this.nodeCount = nodeCount;
        this.vcpusPerNode = vcpusPerNode;
    }

    /** Sends pod {@code <vm>-i}'s control API calls to engine i's loopback port. */
    GrpcEngineStatusProbe probe() {
        return new GrpcEngineStatusProbe(pod -> Optional.of("127.0.0.1:" + server(index(pod)).getPort()));
    }

    void setGuestState(int index, GuestState state) {
        guestStates.put(index, state);
    }

    /** After a spec change the engines come back with the new size. */
    void resize(int nodes) {
        nodeCount = nodes;
    }

    private Server server(int index) {
        return servers.computeIfAbsent(index, i -> {
            Server s = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    .addService(new ControlGrpc.ControlImplBase() {
                        @Override
                        public void getStatus(GetStatusRequest request, StreamObserver<NodeStatus> response) {
                            int n = nodeCount;
                            response.onNext(NodeStatus.newBuilder().setNodeIndex(i).setNodeCount(n)
                                    .setVmName("test").setVcpusRunning(vcpusPerNode).setVcpusAssigned(vcpusPerNode)
                                    .setMeshPeersConnected(n - 1)
                                    .setGuestState(guestStates.getOrDefault(i, GuestState.GUEST_STATE_RUNNING))
                                    .setDetail("fake engine " + i).build());
                            response.onCompleted();
                        }
                    })
                    .build();
            try {
                return s.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static int index(Pod p) {
        String name = p.getMetadata().getName();
        return Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
    }

    @Override
    public void close() throws InterruptedException {
        for (Server s : servers.values()) {
            s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
