package io.giantvm.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.giantvm.control.v1.ControlGrpc;
import io.giantvm.control.v1.GetStatusRequest;
import io.giantvm.control.v1.GuestOutcome;
import io.giantvm.control.v1.LinuxReport;
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
    /** Pod UID → how its guest ended: a pod started afresh (a restart) has none, like a fresh engine. */
    private final Map<String, GuestOutcome> outcomes = new ConcurrentHashMap<>();
    /** Index → UID of the pod last asked about, so that a test can end "the current" engine i's guest. */
    private final Map<Integer, String> currentPod = new ConcurrentHashMap<>();
    private volatile int nodeCount;
    private volatile int vcpusPerNode;

    FakeEngines(int nodeCount, int vcpusPerNode) {
        this.nodeCount = nodeCount;
        this.vcpusPerNode = vcpusPerNode;
    }

    /** Sends pod {@code <vm>-i}'s control API calls to engine i's loopback port. */
    GrpcEngineStatusProbe probe() {
        return new GrpcEngineStatusProbe(pod -> {
            currentPod.put(index(pod), pod.getMetadata().getUid());
            return Optional.of("127.0.0.1:" + server(index(pod)).getPort());
        });
    }

    /**
     * The guest ends on every engine of the pods now running (as the engines of one VM report it: node 0
     * with the result line, the others the exit status); pods created later start with a running guest.
     */
    void endGuest(boolean succeeded, String result) {
        endGuest(succeeded, result, false);
    }

    /** As a Linux guest ends: the I/O node, which reads the console, also relays the guest's own report. */
    void endLinuxGuest(boolean succeeded, String result, LinuxReport guest) {
        endGuest(succeeded, result);
        String io = currentPod.get(0);
        outcomes.computeIfPresent(io, (uid, o) -> o.toBuilder().setLinux(guest).build());
    }

    /** As above; with {@code ioNodeLast}, engine 0 has not reported yet (it is still checking the results). */
    void endGuest(boolean succeeded, String result, boolean ioNodeLast) {
        if (ioNodeLast) {
            currentPod.forEach((index, uid) -> {
                if (index != 0) {
                    outcomes.put(uid, GuestOutcome.newBuilder().setSucceeded(succeeded).setExitStatus(succeeded ? 0 : 1)
                            .setResult("exit status only").build());
                }
            });
            return;
        }
        // The I/O node first, as in a real run: it sees the guest's exit and announces it to the others.
        new java.util.TreeMap<>(currentPod).forEach((index, uid) -> outcomes.put(uid, GuestOutcome.newBuilder()
                .setSucceeded(succeeded).setExitStatus(succeeded ? 0 : 1)
                .setResult(index == 0 ? result : "exit status only").build()));
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
                            GuestOutcome ended = outcomes.get(currentPod.getOrDefault(i, ""));
                            NodeStatus.Builder b = NodeStatus.newBuilder();
                            if (ended != null) {
                                b.setOutcome(ended).setGuestState(ended.getSucceeded()
                                        ? GuestState.GUEST_STATE_HALTED : GuestState.GUEST_STATE_FAILED);
                            } else {
                                b.setGuestState(guestStates.getOrDefault(i, GuestState.GUEST_STATE_RUNNING));
                            }
                            response.onNext(b.setNodeIndex(i).setNodeCount(n)
                                    .setVmName("test").setVcpusRunning(vcpusPerNode).setVcpusAssigned(vcpusPerNode)
                                    .setMeshPeersConnected(n - 1)
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
