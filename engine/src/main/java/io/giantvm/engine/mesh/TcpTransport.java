package io.giantvm.engine.mesh;

import io.giantvm.engine.mesh.v1.Frame;
import io.giantvm.engine.mesh.v1.Hello;
import io.giantvm.engine.os.DupSocket;
import io.giantvm.engine.os.Epoll;
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
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The default transport: one TCP connection per pair of nodes (the higher id dials the lower), TCP_NODELAY,
 * frames as {@link FrameCodec} lays them out (DSM page-path frames binary, the rest length-prefixed protobuf), read
 * and written through one direct buffer per direction and connection ({@link FrameReader}, {@link FrameWriter}).
 * {@link #start} listens, dials with retries, exchanges hellos (node id, node
 * count, VM name must agree) and waits at a barrier until every node is connected to every other. A connection
 * that drops reports its peer down by node id.
 *
 * <p>Threads: {@code mesh-accept-<self>} while starting, one {@code mesh-rx-<peer>} per peer, asleep in epoll while
 * its connection is idle; a thread waiting for its own answer may read the connection instead
 * ({@link #receiveWhile}). Lock order: a connection's read lock before anything a handler takes (the DSM's protocol
 * lock); a connection's write lock is a leaf; no other lock is taken while holding it.
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
        /**
         * Held by whoever reads the connection: its receive thread while it handles what arrived, or a caller
         * reading its own reply ({@link #receiveWhile}). The receive thread never holds it while it sleeps.
         */
        final ReentrantLock reading = new ReentrantLock();
        /** Set once the connection is registered (after the hello, which is read blocking through the channel). */
        DupSocket raw;
        Epoll ready;
        /** Why a caller reading the connection found it must be dropped; the receive thread reports it. */
        volatile String dropped;

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

        void openRaw() throws IOException {
            raw = new DupSocket(socket.getLocalAddress(), socket.getRemoteAddress());
            ready = new Epoll(raw.fd());
        }

        void write(Frame frame) throws IOException {
            out.write(frame);
        }

        /** Ends the connection for both sides and wakes its receive thread (which releases the descriptors). */
        void close() {
            DupSocket r = raw;
            if (r != null) {
                r.shutdown();
            }
            closeQuietly(socket);
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
            c.openRaw();
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
                Connection accepted = new Connection(acceptedPeer(h), c);
                accepted.openRaw();
                register(accepted);
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
            c.close();
            c.ready.close();
            c.raw.close();
            throw new MeshException("node " + self() + " got a second connection from node " + c.peer);
        }
        threads.add(Thread.ofPlatform().name("mesh-rx-" + c.peer).daemon().start(() -> receiveLoop(c)));
        countConnected();
    }

    /**
     * The connection's receive thread: asleep in epoll while nothing arrives (never in a blocking read, so that a
     * caller can read its own reply instead, see {@link #receiveWhile}), then handles what arrived under the
     * connection's read lock.
     */
    private void receiveLoop(Connection c) {
        String why = null;
        try {
            while (why == null) {
                c.reading.lock();
                try {
                    why = c.dropped != null ? c.dropped : receiveAvailable(c, true);
                } finally {
                    c.reading.unlock();
                }
                if (why == null) {
                    c.ready.await();
                }
            }
        } catch (IOException e) {
            why = "connection dropped: " + e.getMessage();
        }
        if (!isClosing()) {
            c.close();
            connectionLost(c.peer, why);
        }
        c.reading.lock(); // no caller is using the descriptors any more, and none will (the peer is down or closing)
        try {
            c.ready.close();
            c.raw.close();
        } finally {
            c.reading.unlock();
        }
    }

    /**
     * Handles the frames already buffered, receives once without waiting and handles what that brought. Returns
     * null to go on, or why the connection must be dropped. The caller holds the read lock.
     *
     * @param receiveThread whether a frame larger than the buffer may be read here, blocking until it is whole
     */
    private String receiveAvailable(Connection c, boolean receiveThread) throws IOException {
        String why = handleBuffered(c, receiveThread);
        if (why != null) {
            return why;
        }
        int n = c.in.receiveNow(c.raw);
        if (n == 0) {
            return "connection closed by the peer";
        }
        return n > 0 ? handleBuffered(c, receiveThread) : null;
    }

    private String handleBuffered(Connection c, boolean receiveThread) throws IOException {
        while (true) {
            Frame f = c.in.nextBuffered();
            if (f == null) {
                if (!receiveThread || !c.in.largeFrameAhead()) {
                    return null;
                }
                f = c.in.next();
                if (f == null) {
                    return "connection closed by the peer";
                }
            }
            String why = receive(c.peer, f, c.in.page()); // a DSM grant's page: a view of the receive buffer
            if (why != null) {
                return why;
            }
        }
    }

    /**
     * Takes {@code peer}'s connection over from its receive thread for one request and its answer (see
     * {@link Transport#receiveWhile}): with the read lock held, the connection's epoll is disarmed, so the receive
     * thread sleeps through whatever arrives; the caller sends, then receives without blocking and yields between
     * tries. On the way out the epoll is armed again, which wakes the receive thread at once if anything is left in
     * the socket (the rest of a frame); whole frames already received are all handled before that.
     */
    @Override
    public boolean receiveWhile(int peer, Runnable send, BooleanSupplier waiting, long budgetNanos) {
        Connection c = peer == self() ? null : connections.get(peer);
        if (c == null || !c.reading.tryLock()) {
            send.run();
            return false;
        }
        try {
            if (c.dropped != null) {
                send.run();
                return false;
            }
            c.ready.arm(false);
            try {
                send.run();
                long end = System.nanoTime() + budgetNanos;
                while (waiting.getAsBoolean() && c.dropped == null && !c.in.largeFrameAhead()) {
                    int n = c.in.receiveNow(c.raw);
                    if (n == 0) {
                        break; // end of stream: the receive thread, woken by it, reports the peer down
                    }
                    if (n > 0) {
                        c.dropped = handleBuffered(c, false);
                    } else if (System.nanoTime() - end > 0) {
                        break;
                    } else {
                        Thread.yield();
                    }
                }
            } finally {
                c.ready.arm(true);
            }
        } catch (IOException e) {
            c.dropped = "connection dropped: " + e.getMessage();
        } finally {
            c.reading.unlock();
        }
        if (c.dropped != null) {
            c.close(); // the receive thread wakes to the end of stream and reports why
        }
        return true;
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
            c.close();
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
                c.close();
            }
        }
        MeshThreads.joinAll(threads, MeshLayout.CLOSE_JOIN);
    }
}
