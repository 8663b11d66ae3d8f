package io.giantvm.engine.dsm.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import io.giantvm.engine.mesh.MeshLayout;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * The floor of a network round trip: 64 B out, 4 KiB back, TCP_NODELAY, between two processes on loopback. The
 * answering side always blocks in read(2), as a node's receive thread does. The asking side either blocks too
 * ({@link #measure}, for reference: across cores it lets its own core go idle and pays for waking it, which the
 * mesh's requesters do not) or waits as the mesh's requesters do ({@link #measurePolling}, the floor of the mesh's
 * request/reply): non-blocking reads, yielding between them for up to {@link MeshLayout#OWN_REPLY_SPIN}, then asleep
 * in poll(2). A remote fault is held to neither alone but to {@link UffdFloor#measureWithRoundTrip}, which makes
 * the polling round trip inside a uffd fault's handler.
 */
final class TcpFloor {
    private TcpFloor() {}

    /**
     * How many askers the peer answers, one after the other: {@link #measure}'s, {@link #measurePolling}'s, then
     * the remote-fault floor's ({@link UffdFloor#measureWithRoundTrip}).
     */
    static final int CONNECTIONS = 3;

    /** The peer's side, run in the child process: answers each request with a page until the asker closes. */
    static void serve(int port) throws IOException {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress("127.0.0.1", port));
            System.out.println("ready");
            System.out.flush();
            for (int c = 0; c < CONNECTIONS; c++) {
                try (Socket s = server.accept()) {
                    s.setTcpNoDelay(true);
                    answer(new DataInputStream(s.getInputStream()), s.getOutputStream());
                }
            }
        }
    }

    private static void answer(DataInputStream in, OutputStream out) throws IOException {
        byte[] request = new byte[BenchLayout.TCP_REQUEST];
        byte[] page = new byte[BenchLayout.TCP_REPLY];
        while (true) {
            try {
                in.readFully(request);
            } catch (IOException e) {
                return; // the asker is done
            }
            page[0] = request[0];
            out.write(page);
        }
    }

    static Samples measure(int port, int warmup, int samples) throws IOException {
        Samples out = new Samples(samples);
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            // No SO_TIMEOUT: a timed read leaves the JDK socket non-blocking for good, and the mesh's data
            // connections block (see TcpTransport); the benchmark peer exits on its own bound if it hangs.
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream o = s.getOutputStream();
            byte[] request = new byte[BenchLayout.TCP_REQUEST];
            byte[] page = new byte[BenchLayout.TCP_REPLY];
            for (int i = 0; i < warmup + samples; i++) {
                request[0] = (byte) i;
                long t0 = System.nanoTime();
                o.write(request);
                in.readFully(page);
                long dt = System.nanoTime() - t0;
                if (page[0] != request[0]) {
                    throw new IllegalStateException("TCP floor: reply does not match its request");
                }
                if (i >= warmup) {
                    out.add(dt);
                }
            }
        }
        return out;
    }

    /** {@link #measure} with the asker waiting as the mesh's requesters do: polling, yielding, then poll(2). */
    static Samples measurePolling(int port, int warmup, int samples) throws IOException {
        Samples out = new Samples(samples);
        try (PollingAsker asker = new PollingAsker(port)) {
            for (int i = 0; i < warmup + samples; i++) {
                long t0 = System.nanoTime();
                asker.roundTrip(i);
                long dt = System.nanoTime() - t0;
                if (i >= warmup) {
                    out.add(dt);
                }
            }
        }
        return out;
    }

    /**
     * One connection to {@link #serve}, asking as the mesh's requesters do: a non-blocking write, then non-blocking
     * reads with a yield between them for up to {@link MeshLayout#OWN_REPLY_SPIN}, then asleep in poll(2).
     */
    static final class PollingAsker implements AutoCloseable {
        private final SocketChannel channel;
        private final Selector selector;
        private final ByteBuffer request = ByteBuffer.allocateDirect(BenchLayout.TCP_REQUEST);
        private final ByteBuffer page = ByteBuffer.allocateDirect(BenchLayout.TCP_REPLY);

        PollingAsker(int port) throws IOException {
            channel = SocketChannel.open();
            Selector s = null;
            try {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.connect(new InetSocketAddress("127.0.0.1", port));
                channel.configureBlocking(false);
                s = Selector.open();
                channel.register(s, SelectionKey.OP_READ);
            } catch (IOException | RuntimeException e) {
                if (s != null) {
                    s.close();
                }
                channel.close();
                throw e;
            }
            selector = s;
        }

        /** 64 B out, a page back; the page's first byte echoes {@code tag}'s low byte. */
        void roundTrip(int tag) throws IOException {
            request.clear().put(0, (byte) tag);
            page.clear();
            long spinUntil = System.nanoTime() + MeshLayout.OWN_REPLY_SPIN.toNanos();
            while (request.hasRemaining()) {
                channel.write(request);
            }
            while (page.hasRemaining()) {
                if (channel.read(page) < 0) {
                    throw new IOException("TCP floor: the peer closed the connection");
                }
                if (!page.hasRemaining()) {
                    break;
                }
                if (System.nanoTime() - spinUntil < 0) {
                    Thread.yield();
                } else {
                    selector.select(1000);
                    selector.selectedKeys().clear();
                }
            }
            if (page.get(0) != (byte) tag) {
                throw new IllegalStateException("TCP floor: reply does not match its request");
            }
        }

        @Override
        public void close() throws IOException {
            try (channel) {
                selector.close();
            }
        }
    }
}
