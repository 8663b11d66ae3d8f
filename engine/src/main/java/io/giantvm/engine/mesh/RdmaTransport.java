package io.giantvm.engine.mesh;

import com.ibm.disni.RdmaActiveEndpointGroup;
import com.ibm.disni.RdmaServerEndpoint;
import io.giantvm.engine.mesh.v1.Frame;
import io.giantvm.engine.mesh.v1.Hello;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * {@code transport: rdma}: the mesh of {@link NetworkTransport} over RDMA reliable connections through DiSNI,
 * two-sided SEND/RECV. One connection per pair of nodes (the higher id connects to the lower, at the peer's mesh
 * address, which must be an IPv4 address of its RDMA interface), each an {@link RdmaPeerEndpoint}; a frame travels
 * in one SEND as {@link FrameCodec} lays it out (a DSM page-path frame binary, any other length + protobuf).
 * Hellos, the start barrier and peer-down by node id work as on TCP; a disconnect
 * or a failed work completion reports the peer down. {@link #open} checks the host first.
 *
 * <p>Threads: DiSNI's connection-manager and completion threads (DiSNI's own, unnamed; they only decode, re-post
 * and queue), {@code mesh-accept-<self>} while starting, {@code mesh-connect-<peer>} per connect attempt, one
 * {@code mesh-rx-<peer>} per peer that delivers frames. Lock order: DiSNI takes its endpoint and group monitors
 * inside its own calls; the transport holds no lock while calling DiSNI, and an endpoint's send-buffer and arrival
 * queues and its posting lock are leaves.
 */
public final class RdmaTransport extends NetworkTransport {
    /** The most transport retries verbs allows, so one lost packet on a lossy RoCE link does not end the VM. */
    private static final byte RETRIES = 7;
    /** 7 means "retry forever" when the peer has no receive posted yet: it is re-posting as fast as it can. */
    private static final byte RECEIVER_NOT_READY_RETRIES = 7;

    private final AtomicReferenceArray<RdmaPeerEndpoint> connections;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private volatile RdmaActiveEndpointGroup<RdmaPeerEndpoint> group;
    private volatile RdmaServerEndpoint<RdmaPeerEndpoint> server;
    private volatile Thread acceptor;
    private volatile String acceptFailure;

    private RdmaTransport(int self, List<MeshAddress> nodes, String vmName) {
        super(self, nodes, vmName);
        this.connections = new AtomicReferenceArray<>(nodes.size());
    }

    /** Fails with one line naming what is missing when the host has no RDMA device or no loadable libdisni. */
    public static RdmaTransport open(int self, List<MeshAddress> nodes, String vmName) {
        RdmaPreflight.require();
        return new RdmaTransport(self, nodes, vmName);
    }

    @Override
    public void start(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (nodeCount() == 1) {
            return;
        }
        listen();
        for (int peer = 0; peer < self(); peer++) {
            dial(peer, deadline, this::dialOnce);
        }
        awaitConnections(deadline, timeout, acceptFailure);
        stopAccepting();
        passBarrier(deadline, timeout);
    }

    private void listen() {
        try {
            RdmaActiveEndpointGroup<RdmaPeerEndpoint> g = new RdmaActiveEndpointGroup<>(
                    (int) MeshLayout.RDMA_EVENT_WAIT.toMillis(), false, MeshLayout.RDMA_QUEUE_DEPTH, 1,
                    2 * MeshLayout.RDMA_QUEUE_DEPTH * (nodeCount() - 1)); // every send and receive of every peer
            g.getConnParam().setRetry_count(RETRIES);
            g.getConnParam().setRnr_retry_count(RECEIVER_NOT_READY_RETRIES);
            g.init((id, serverSide) -> new RdmaPeerEndpoint(g, id, serverSide));
            group = g;
            if (self() < nodeCount() - 1) {
                RdmaServerEndpoint<RdmaPeerEndpoint> s = g.createServerEndpoint();
                server = s;
                s.bind(address(self()), nodeCount());
                acceptor = Thread.ofPlatform().name("mesh-accept-" + self()).daemon().start(this::acceptLoop);
            }
        } catch (Exception e) {
            throw new MeshException("node " + self() + " cannot listen for RDMA on " + nodes.get(self()) + ": " + e.getMessage(), e);
        }
    }

    private InetSocketAddress address(int node) {
        MeshAddress a = nodes.get(node);
        return new InetSocketAddress(a.host(), a.port());
    }

    private void dialOnce(int peer, int attemptMillis) throws IOException, InterruptedException {
        RdmaPeerEndpoint ep = group.createEndpoint();
        try {
            ep.dial(address(peer), attemptMillis, "mesh-connect-" + peer);
            ep.send(hello());
            checkDialed(peer, awaitHello(ep));
            register(peer, ep);
        } catch (IOException | InterruptedException | RuntimeException e) {
            quietly(ep::close);
            throw e;
        }
    }

    private void acceptLoop() {
        while (!isClosing() && !allConnected()) {
            RdmaPeerEndpoint ep;
            try {
                ep = server.accept();
            } catch (IOException e) {
                if (e.getCause() instanceof InterruptedException) {
                    return; // every peer is connected, or close()
                }
                acceptFailure = e.getMessage();
                continue;
            }
            try {
                Hello h = awaitHello(ep);
                ep.send(hello()); // answered even when refused, so the dialer can tell what does not match
                register(acceptedPeer(h), ep);
            } catch (IOException | MeshException e) {
                acceptFailure = e.getMessage();
                quietly(ep::close);
            } catch (InterruptedException e) {
                quietly(ep::close);
                return;
            }
        }
    }

    private static Hello awaitHello(RdmaPeerEndpoint ep) throws IOException, InterruptedException {
        RdmaPeerEndpoint.Arrival a = ep.next(MeshLayout.HANDSHAKE);
        if (a == null) {
            throw new IOException("peer did not say hello within " + MeshLayout.HANDSHAKE);
        }
        if (a.frame() == null) {
            throw new IOException("connection broke before the hello: " + a.broken());
        }
        if (a.frame().getBodyCase() != Frame.BodyCase.HELLO) {
            throw new IOException("peer did not say hello");
        }
        return a.frame().getHello();
    }

    @Override
    protected boolean isConnected(int peer) {
        return connections.get(peer) != null;
    }

    private void register(int peer, RdmaPeerEndpoint ep) {
        if (!connections.compareAndSet(peer, null, ep)) {
            throw new MeshException("node " + self() + " got a second connection from node " + peer);
        }
        threads.add(Thread.ofPlatform().name("mesh-rx-" + peer).daemon().start(() -> receiveLoop(peer, ep)));
        countConnected();
    }

    private void receiveLoop(int peer, RdmaPeerEndpoint ep) {
        String why;
        try {
            do {
                RdmaPeerEndpoint.Arrival a = ep.next();
                why = a.frame() == null ? a.broken() : receive(peer, a.frame());
            } while (why == null);
        } catch (InterruptedException e) {
            return; // close()
        }
        if (!isClosing()) {
            ep.markBroken(why);
            quietly(ep::close);
            connectionLost(peer, why);
        }
    }

    @Override
    protected void transmit(int to, Frame frame) {
        RdmaPeerEndpoint ep = connections.get(to);
        if (ep == null) {
            throw notConnectedYet(to);
        }
        try {
            ep.send(frame);
        } catch (IOException e) {
            ep.markBroken("send failed: " + e.getMessage());
            throw sendFailed(to, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MeshException("node " + self() + " was interrupted waiting to send to node " + to);
        }
    }

    /** DiSNI's accept waits without bound and closing the server does not wake it: the thread is interrupted. */
    private void stopAccepting() {
        Thread a = acceptor;
        if (a != null) {
            a.interrupt();
        }
        RdmaServerEndpoint<RdmaPeerEndpoint> s = server;
        if (s != null) {
            quietly(s::close);
        }
    }

    @Override
    public void close() {
        beginClose();
        stopAccepting();
        for (int i = 0; i < nodeCount(); i++) {
            RdmaPeerEndpoint ep = connections.get(i);
            if (ep != null) {
                quietly(ep::close); // the peer sees a disconnect; our receive thread sees "closed"
            }
        }
        MeshThreads.joinAll(threads, MeshLayout.CLOSE_JOIN);
        RdmaActiveEndpointGroup<RdmaPeerEndpoint> g = group;
        if (g != null) {
            quietly(g::close); // ends DiSNI's threads; its completion thread is not a daemon
        }
    }

    /** A DiSNI close: they all throw IOException and InterruptedException. */
    @FunctionalInterface
    private interface DisniClose {
        void close() throws IOException, InterruptedException;
    }

    private static void quietly(DisniClose c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing a broken connection has nothing left to report
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
