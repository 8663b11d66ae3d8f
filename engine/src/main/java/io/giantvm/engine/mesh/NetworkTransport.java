package io.giantvm.engine.mesh;

import io.giantvm.engine.mesh.v1.Barrier;
import io.giantvm.engine.mesh.v1.Frame;
import io.giantvm.engine.mesh.v1.Hello;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The start protocol and inbound checks that every transport between processes shares, whatever moves the bytes
 * (TCP, RDMA): one connection per pair of nodes, a hello whose node count and VM name must agree, then a barrier
 * frame to every peer, and on every connection only frames from the node it belongs to.
 */
abstract class NetworkTransport extends TransportCore {
    protected final List<MeshAddress> nodes;
    protected final String vmName;
    private final CountDownLatch connected;
    private final CountDownLatch barriers;
    private volatile boolean closing;

    protected NetworkTransport(int self, List<MeshAddress> nodes, String vmName) {
        super(self, nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).node() != i) {
                throw new IllegalArgumentException("mesh address " + i + " is for node " + nodes.get(i).node());
            }
        }
        this.nodes = List.copyOf(nodes);
        this.vmName = vmName;
        this.connected = new CountDownLatch(nodes.size() - 1);
        this.barriers = new CountDownLatch(nodes.size() - 1);
    }

    /**
     * In order: one connection per pair of nodes; a frame is written or posted whole before the next one to the
     * same peer starts (TCP writes under the connection's lock, RDMA posts on a reliable-connection queue pair,
     * which executes them in posting order), and one thread at a time reads a peer's connection (its receive thread,
     * or on TCP a caller that took it over for its answer, under the connection's read lock) and hands its frames to
     * the handler in arrival order, each to completion.
     */
    @Override
    public final boolean deliversInOrder() {
        return true;
    }

    /** One attempt to connect to {@code peer} and exchange hellos; an IOException means "try again". */
    @FunctionalInterface
    protected interface DialAttempt {
        void dial(int peer, int attemptMillis) throws IOException, InterruptedException;
    }

    /** Whether a connection to {@code peer} has passed its hello. */
    protected abstract boolean isConnected(int peer);

    /**
     * Dials {@code peer} until an attempt succeeds, a MeshException says retrying is pointless (wrong VM, wrong
     * node), the deadline passes or the transport closes. Peers that are still starting refuse; retrying covers that.
     */
    protected final void dial(int peer, long deadline, DialAttempt attempt) throws InterruptedException {
        String last = "no attempt";
        while (!closing) {
            try {
                attempt.dial(peer, (int) Math.min(MeshLayout.CONNECT_ATTEMPT.toMillis(), Math.max(1, remaining(deadline) / 1_000_000)));
                return;
            } catch (IOException e) {
                last = e.getMessage();
            }
            if (remaining(deadline) <= 0) {
                throw new MeshException("node " + self() + " cannot reach " + nodes.get(peer) + ": " + last);
            }
            Thread.sleep(Math.min(MeshLayout.CONNECT_RETRY.toMillis(), remaining(deadline) / 1_000_000 + 1));
        }
        throw new MeshException("node " + self() + " closed while dialing " + nodes.get(peer));
    }

    protected static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    protected final boolean isClosing() {
        return closing;
    }

    /** Implementations call this first in close(): ends the start loops and the timeout sweeper. */
    protected final void beginClose() {
        closing = true;
        stopTimeouts();
    }

    protected final boolean allConnected() {
        return connected.getCount() == 0;
    }

    protected final Frame hello() {
        return Frame.newBuilder().setFrom(self())
                .setHello(Hello.newBuilder().setNode(self()).setNodeCount(nodeCount()).setVmName(vmName)).build();
    }

    /** Throws when {@code h} comes from a node that loaded a different VM description. */
    protected final void validate(Hello h) {
        if (h.getNodeCount() != nodeCount() || !h.getVmName().equals(vmName)) {
            throw new MeshException("node " + self() + " (VM " + vmName + ", " + nodeCount() + " nodes) met node " + h.getNode()
                    + " of VM " + h.getVmName() + " with " + h.getNodeCount() + " nodes: the nodes load different VM descriptions");
        }
    }

    /** Throws unless {@code h}, received on an accepted connection, names a higher node not yet connected. */
    protected final int acceptedPeer(Hello h) {
        validate(h);
        int peer = h.getNode();
        if (peer <= self() || peer >= nodeCount() || isConnected(peer)) {
            throw new MeshException("node " + self() + " refused a connection claiming to be node " + peer);
        }
        return peer;
    }

    /** Throws unless the node that answered a dial to {@code peer} is that peer. */
    protected final void checkDialed(int peer, Hello h) {
        validate(h);
        if (h.getNode() != peer) {
            throw new MeshException("node " + self() + " dialed " + nodes.get(peer) + " but node " + h.getNode() + " answered");
        }
    }

    /** A connection to one more peer passed its hello. */
    protected final void countConnected() {
        connected.countDown();
    }

    /** Waits until every peer is connected; {@code lastFailure} (may be null) explains a timeout. */
    protected final void awaitConnections(long deadline, Duration timeout, String lastFailure) throws InterruptedException {
        if (!connected.await(remaining(deadline), TimeUnit.NANOSECONDS)) {
            throw new MeshException("node " + self() + ": no connection from " + missing() + " within " + timeout
                    + (lastFailure != null ? " (" + lastFailure + ")" : ""));
        }
    }

    private String missing() {
        return String.join(", ", unconnectedPeers().stream().map(i -> nodes.get(i).toString()).toList());
    }

    @Override
    public final List<Integer> unconnectedPeers() {
        List<Integer> m = new ArrayList<>();
        for (int i = 0; i < nodeCount(); i++) {
            if (i != self() && !isConnected(i)) {
                m.add(i);
            }
        }
        return m;
    }

    /** Sends a barrier to every peer and waits for one from each: afterwards every node is connected to every other. */
    protected final void passBarrier(long deadline, Duration timeout) throws InterruptedException {
        for (int peer = 0; peer < nodeCount(); peer++) {
            if (peer != self()) {
                send(peer, Frame.newBuilder().setBarrier(Barrier.getDefaultInstance()));
            }
        }
        if (!barriers.await(remaining(deadline), TimeUnit.NANOSECONDS)) {
            throw new MeshException("node " + self() + ": start barrier not reached within " + timeout
                    + "; still waiting for " + barriers.getCount() + " of " + (nodeCount() - 1) + " peers");
        }
    }

    /** A connection dropped outside close(): the peer is down, named by id and address. */
    protected final void connectionLost(int peer, String why) {
        peerDown(peer, why + " (" + nodes.get(peer) + ")");
    }

    /** A send to {@code to} failed on the wire: reports the peer down and returns what the sender throws. */
    protected final PeerDownException sendFailed(int to, IOException e) {
        peerDown(to, "send failed: " + e.getMessage() + " (" + nodes.get(to) + ")");
        return new PeerDownException(to, "send failed: " + e.getMessage());
    }

    protected final MeshException notConnectedYet(int to) {
        return new MeshException("node " + self() + " has no connection to node " + to + " yet");
    }

    /**
     * Handles a frame that arrived on {@code peer}'s connection, on that connection's receive thread. Returns null
     * to go on, or why the connection must be dropped.
     */
    protected final String receive(int peer, Frame f) {
        return receive(peer, f, null);
    }

    /** {@link #receive(int, Frame)} for a frame whose page travelled beside it, a view valid until this returns. */
    protected final String receive(int peer, Frame f, ByteBuffer page) {
        if (f.getFrom() != peer) {
            return "frame claims to be from node " + f.getFrom() + " on node " + peer + "'s connection";
        }
        if (f.getBodyCase() == Frame.BodyCase.BARRIER) {
            barriers.countDown();
            return null;
        }
        try {
            deliver(f, page);
        } catch (RuntimeException e) {
            // A bug in a handler: show it, keep the connection (the DSM or VM will stop on its own terms).
            System.err.println("mesh: handler failed on " + f.getBodyCase() + " from node " + peer);
            e.printStackTrace();
        }
        return null;
    }
}
