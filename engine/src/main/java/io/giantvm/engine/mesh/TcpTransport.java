package io.giantvm.engine.mesh;

import io.giantvm.engine.mesh.v1.Barrier;
import io.giantvm.engine.mesh.v1.Frame;
import io.giantvm.engine.mesh.v1.Hello;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The default transport: one TCP connection per pair of nodes (the higher id dials the lower), TCP_NODELAY,
 * length-prefixed protobuf frames. {@link #start} listens, dials with retries, exchanges hellos (node id, node
 * count, VM name must agree) and waits at a barrier until every node is connected to every other. A connection
 * that drops reports its peer down by node id.
 *
 * <p>Threads: {@code mesh-accept-<self>} while starting, one {@code mesh-rx-<peer>} per peer. Lock order: a
 * connection's write lock is a leaf; no other lock is taken while holding it.
 */
public final class TcpTransport extends TransportCore {
    private final List<MeshAddress> nodes;
    private final String vmName;
    private final AtomicReferenceArray<Connection> connections;
    private final CountDownLatch connected;
    private final CountDownLatch barriers;
    private final List<Thread> threads = new ArrayList<>();
    private volatile ServerSocket server;
    private volatile boolean closing;
    private volatile String acceptFailure;

    public TcpTransport(int self, List<MeshAddress> nodes, String vmName) {
        super(self, nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).node() != i) {
                throw new IllegalArgumentException("mesh address " + i + " is for node " + nodes.get(i).node());
            }
        }
        this.nodes = List.copyOf(nodes);
        this.vmName = vmName;
        this.connections = new AtomicReferenceArray<>(nodes.size());
        this.connected = new CountDownLatch(nodes.size() - 1);
        this.barriers = new CountDownLatch(nodes.size() - 1);
    }

    private final class Connection {
        final int peer;
        final Socket socket;
        final DataInputStream in;
        final DataOutputStream out;

        Connection(int peer, Socket socket) throws IOException {
            this.peer = peer;
            this.socket = socket;
            this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), MeshLayout.SOCKET_BUFFER / 16));
            this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), MeshLayout.SOCKET_BUFFER / 16));
        }

        private Connection(int peer, Connection streams) {
            this.peer = peer;
            this.socket = streams.socket;
            this.in = streams.in; // the same buffers: bytes after the hello may already sit in them
            this.out = streams.out;
        }

        void write(Frame frame) throws IOException {
            synchronized (out) {
                FrameCodec.write(out, frame);
            }
        }
    }

    @Override
    public void start(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        MeshAddress me = nodes.get(self());
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(me.port()));
            server = s;
        } catch (IOException e) {
            throw new MeshException("node " + self() + " cannot listen on port " + me.port() + ": " + e.getMessage(), e);
        }
        if (self() < nodeCount() - 1) {
            threads.add(Thread.ofPlatform().name("mesh-accept-" + self()).daemon().start(this::acceptLoop));
        }
        for (int peer = 0; peer < self(); peer++) {
            dial(peer, deadline);
        }
        if (!connected.await(remaining(deadline), TimeUnit.NANOSECONDS)) {
            throw new MeshException("node " + self() + ": no connection from " + missing() + " within " + timeout
                    + (acceptFailure != null ? " (" + acceptFailure + ")" : ""));
        }
        closeServer();
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

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    private String missing() {
        List<String> m = new ArrayList<>();
        for (int i = 0; i < nodeCount(); i++) {
            if (i != self() && connections.get(i) == null) {
                m.add(nodes.get(i).toString());
            }
        }
        return String.join(", ", m);
    }

    private void dial(int peer, long deadline) throws InterruptedException {
        MeshAddress a = nodes.get(peer);
        String last = "no attempt";
        while (!closing) {
            Socket socket = new Socket();
            try {
                int attempt = (int) Math.min(MeshLayout.CONNECT_ATTEMPT.toMillis(), Math.max(1, remaining(deadline) / 1_000_000));
                socket.connect(new InetSocketAddress(a.host(), a.port()), attempt);
                configure(socket);
                Connection c = new Connection(peer, socket);
                c.write(hello());
                Hello h = readHello(c, socket);
                validate(h);
                if (h.getNode() != peer) {
                    throw new MeshException("node " + self() + " dialed " + a + " but node " + h.getNode() + " answered");
                }
                register(c);
                return;
            } catch (IOException e) {
                last = e.getMessage();
                closeQuietly(socket);
            } catch (MeshException e) {
                closeQuietly(socket);
                throw e;
            }
            if (remaining(deadline) <= 0) {
                throw new MeshException("node " + self() + " cannot reach " + a + ": " + last);
            }
            Thread.sleep(Math.min(MeshLayout.CONNECT_RETRY.toMillis(), remaining(deadline) / 1_000_000 + 1));
        }
        throw new MeshException("node " + self() + " closed while dialing " + a);
    }

    private void acceptLoop() {
        ServerSocket s = server;
        while (!closing && connected.getCount() > 0) {
            Socket socket;
            try {
                socket = s.accept();
            } catch (IOException e) {
                return; // closed once every peer is connected, or on close()
            }
            try {
                configure(socket);
                Connection c = new Connection(-1, socket);
                Hello h = readHello(c, socket);
                c.write(hello()); // answered even when refused, so the dialer can tell what does not match
                validate(h);
                int peer = h.getNode();
                if (peer <= self() || peer >= nodeCount() || connections.get(peer) != null) {
                    throw new MeshException("node " + self() + " refused a connection claiming to be node " + peer);
                }
                register(new Connection(peer, c));
            } catch (IOException | MeshException e) {
                acceptFailure = e.getMessage();
                closeQuietly(socket);
            }
        }
    }

    private Frame hello() {
        return Frame.newBuilder().setFrom(self())
                .setHello(Hello.newBuilder().setNode(self()).setNodeCount(nodeCount()).setVmName(vmName)).build();
    }

    private Hello readHello(Connection c, Socket socket) throws IOException {
        socket.setSoTimeout((int) MeshLayout.HANDSHAKE.toMillis());
        Frame f = FrameCodec.read(c.in);
        socket.setSoTimeout(0);
        if (f == null || f.getBodyCase() != Frame.BodyCase.HELLO) {
            throw new IOException("peer did not say hello");
        }
        return f.getHello();
    }

    private void validate(Hello h) {
        if (h.getNodeCount() != nodeCount() || !h.getVmName().equals(vmName)) {
            throw new MeshException("node " + self() + " (VM " + vmName + ", " + nodeCount() + " nodes) met node " + h.getNode()
                    + " of VM " + h.getVmName() + " with " + h.getNodeCount() + " nodes: the nodes load different VM descriptions");
        }
    }

    private static void configure(Socket socket) throws SocketException {
        socket.setTcpNoDelay(true); // a fault waits on every frame; Nagle would add up to 40 ms
        socket.setSendBufferSize(MeshLayout.SOCKET_BUFFER);
        socket.setReceiveBufferSize(MeshLayout.SOCKET_BUFFER);
        socket.setKeepAlive(true);
    }

    private void register(Connection c) {
        if (!connections.compareAndSet(c.peer, null, c)) {
            closeQuietly(c.socket);
            throw new MeshException("node " + self() + " got a second connection from node " + c.peer);
        }
        threads.add(Thread.ofPlatform().name("mesh-rx-" + c.peer).daemon().start(() -> receiveLoop(c)));
        connected.countDown();
    }

    private void receiveLoop(Connection c) {
        String why;
        try {
            while (true) {
                Frame f = FrameCodec.read(c.in);
                if (f == null) {
                    why = "connection closed by the peer";
                    break;
                }
                if (f.getFrom() != c.peer) {
                    why = "frame claims to be from node " + f.getFrom() + " on node " + c.peer + "'s connection";
                    break;
                }
                if (f.getBodyCase() == Frame.BodyCase.BARRIER) {
                    barriers.countDown();
                    continue;
                }
                try {
                    deliver(f);
                } catch (RuntimeException e) {
                    // A bug in a handler: show it, keep the connection (the DSM or VM will stop on its own terms).
                    System.err.println("mesh: handler failed on " + f.getBodyCase() + " from node " + c.peer);
                    e.printStackTrace();
                }
            }
        } catch (IOException e) {
            why = "connection dropped: " + e.getMessage();
        }
        if (!closing) {
            closeQuietly(c.socket);
            peerDown(c.peer, why + " (" + nodes.get(c.peer) + ")");
        }
    }

    @Override
    protected void transmit(int to, Frame frame) {
        Connection c = connections.get(to);
        if (c == null) {
            throw new MeshException("node " + self() + " has no connection to node " + to + " yet");
        }
        try {
            c.write(frame);
        } catch (IOException e) {
            closeQuietly(c.socket);
            peerDown(to, "send failed: " + e.getMessage() + " (" + nodes.get(to) + ")");
            throw new PeerDownException(to, "send failed: " + e.getMessage());
        }
    }

    private void closeServer() {
        ServerSocket s = server;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing listens any more either way
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing a broken socket has nothing left to report
        }
    }

    @Override
    public void close() {
        closing = true;
        stopTimeouts();
        closeServer();
        for (int i = 0; i < nodeCount(); i++) {
            Connection c = connections.get(i);
            if (c != null) {
                closeQuietly(c.socket);
            }
        }
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
