package io.giantvm.engine.mesh;

import io.giantvm.engine.mesh.v1.Frame;
import io.giantvm.engine.mesh.v1.Hello;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The default transport: one TCP connection per pair of nodes (the higher id dials the lower), TCP_NODELAY,
 * frames as {@link FrameCodec} lays them out (DSM page-path frames binary, the rest length-prefixed protobuf), read
 * and written through one direct buffer per direction and connection ({@link FrameReader}, {@link FrameWriter}).
 * {@link #start} listens, dials with retries, exchanges hellos (node id, node
 * count, VM name must agree) and waits at a barrier until every node is connected to every other. A connection
 * that drops reports its peer down by node id.
 *
 * <p>Threads: {@code mesh-accept-<self>} while starting, one {@code mesh-rx-<peer>} per peer. Lock order: a
 * connection's write lock is a leaf; no other lock is taken while holding it.
 */
public final class TcpTransport extends NetworkTransport {
    private final AtomicReferenceArray<Connection> connections;
    private final List<Thread> threads = new ArrayList<>();
    private volatile ServerSocketChannel server;
    private volatile String acceptFailure;

    public TcpTransport(int self, List<MeshAddress> nodes, String vmName) {
        super(self, nodes, vmName);
        this.connections = new AtomicReferenceArray<>(nodes.size());
    }

    private static final class Connection {
        final int peer;
        final SocketChannel socket;
        final FrameReader in;
        final FrameWriter out;

        Connection(int peer, SocketChannel socket) {
            this.peer = peer;
            this.socket = socket;
            this.in = new FrameReader(socket, MeshLayout.TCP_FRAME_BUFFER);
            this.out = new FrameWriter(socket, MeshLayout.TCP_FRAME_BUFFER);
        }

        private Connection(int peer, Connection streams) {
            this.peer = peer;
            this.socket = streams.socket;
            this.in = streams.in; // the same buffers: bytes after the hello may already sit in them
            this.out = streams.out;
        }

        void write(Frame frame) throws IOException {
            out.write(frame);
        }
    }

    @Override
    public void start(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        MeshAddress me = nodes.get(self());
        try {
            ServerSocketChannel s = ServerSocketChannel.open();
            s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            s.bind(new InetSocketAddress(me.port()));
            server = s;
        } catch (IOException e) {
            throw new MeshException("node " + self() + " cannot listen on port " + me.port() + ": " + e.getMessage(), e);
        }
        if (self() < nodeCount() - 1) {
            threads.add(Thread.ofPlatform().name("mesh-accept-" + self()).daemon().start(this::acceptLoop));
        }
        for (int peer = 0; peer < self(); peer++) {
            dial(peer, deadline, this::dialOnce);
        }
        awaitConnections(deadline, timeout, acceptFailure);
        closeServer();
        passBarrier(deadline, timeout);
    }

    @Override
    protected boolean isConnected(int peer) {
        return connections.get(peer) != null;
    }

    private void dialOnce(int peer, int attemptMillis) throws IOException {
        MeshAddress a = nodes.get(peer);
        SocketChannel socket = SocketChannel.open();
        try {
            // A timed connect through the adaptor; the channel is blocking again afterwards.
            socket.socket().connect(new InetSocketAddress(a.host(), a.port()), attemptMillis);
            configure(socket);
            Connection c = new Connection(peer, socket);
            c.write(hello());
            checkDialed(peer, readHello(c, socket));
            register(c);
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    private void acceptLoop() {
        ServerSocketChannel s = server;
        while (!isClosing() && !allConnected()) {
            SocketChannel socket;
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
                register(new Connection(acceptedPeer(h), c));
            } catch (IOException | MeshException e) {
                acceptFailure = e.getMessage();
                closeQuietly(socket);
            }
        }
    }

    /**
     * Reads the hello within {@link MeshLayout#HANDSHAKE}, enforced by closing the socket rather than by
     * a timed read: a timed read needs the file descriptor non-blocking (the JDK's {@code SO_TIMEOUT} switched it
     * and never switched back), and then every later receive on the data path is read, EAGAIN, poll, read — two
     * more system calls and a park per frame, on every page fault.
     */
    private Hello readHello(Connection c, SocketChannel socket) throws IOException {
        AtomicBoolean done = new AtomicBoolean();
        CompletableFuture.delayedExecutor(MeshLayout.HANDSHAKE.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (done.compareAndSet(false, true)) {
                closeQuietly(socket);
            }
        });
        Frame f;
        try {
            f = c.in.next();
        } catch (IOException e) {
            throw done.compareAndSet(false, true) ? e : new IOException("no hello within " + MeshLayout.HANDSHAKE);
        }
        if (!done.compareAndSet(false, true)) {
            throw new IOException("no hello within " + MeshLayout.HANDSHAKE);
        }
        if (f == null || f.getBodyCase() != Frame.BodyCase.HELLO) {
            throw new IOException("peer did not say hello");
        }
        return f.getHello();
    }

    private static void configure(SocketChannel socket) throws IOException {
        socket.setOption(StandardSocketOptions.TCP_NODELAY, true); // a fault waits on every frame; Nagle would add up to 40 ms
        socket.setOption(StandardSocketOptions.SO_SNDBUF, MeshLayout.SOCKET_BUFFER);
        socket.setOption(StandardSocketOptions.SO_RCVBUF, MeshLayout.SOCKET_BUFFER);
        socket.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
    }

    private void register(Connection c) {
        if (!connections.compareAndSet(c.peer, null, c)) {
            closeQuietly(c.socket);
            throw new MeshException("node " + self() + " got a second connection from node " + c.peer);
        }
        threads.add(Thread.ofPlatform().name("mesh-rx-" + c.peer).daemon().start(() -> receiveLoop(c)));
        countConnected();
    }

    private void receiveLoop(Connection c) {
        String why;
        try {
            while (true) {
                Frame f = c.in.next();
                if (f == null) {
                    why = "connection closed by the peer";
                    break;
                }
                why = receive(c.peer, f, c.in.page()); // a DSM grant's page: a view of the receive buffer
                if (why != null) {
                    break;
                }
            }
        } catch (IOException e) {
            why = "connection dropped: " + e.getMessage();
        }
        if (!isClosing()) {
            closeQuietly(c.socket);
            connectionLost(c.peer, why);
        }
    }

    @Override
    protected void transmit(int to, Frame frame) {
        Connection c = connections.get(to);
        if (c == null) {
            throw notConnectedYet(to);
        }
        try {
            c.write(frame);
        } catch (IOException e) {
            closeQuietly(c.socket);
            throw sendFailed(to, e);
        }
    }

    private void closeServer() {
        ServerSocketChannel s = server;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing listens any more either way
            }
        }
    }

    private static void closeQuietly(SocketChannel s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing a broken socket has nothing left to report
        }
    }

    @Override
    public void close() {
        beginClose();
        closeServer();
        for (int i = 0; i < nodeCount(); i++) {
            Connection c = connections.get(i);
            if (c != null) {
                closeQuietly(c.socket);
            }
        }
        MeshThreads.joinAll(threads, MeshLayout.CLOSE_JOIN);
    }
}
