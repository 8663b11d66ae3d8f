package io.giantvm.engine.dsm.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** The floor of a network round trip: 64 B out, 4 KiB back, TCP_NODELAY, between two processes on loopback. */
final class TcpFloor {
    private TcpFloor() {}

    /** The peer's side, run in the child process: answers each request with a page until the socket closes. */
    static void serve(int port) throws IOException {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress("127.0.0.1", port));
            System.out.println("ready");
            System.out.flush();
            try (Socket s = server.accept()) {
                s.setTcpNoDelay(true);
                DataInputStream in = new DataInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                byte[] request = new byte[BenchLayout.TCP_REQUEST];
                byte[] page = new byte[BenchLayout.TCP_REPLY];
                while (true) {
                    try {
                        in.readFully(request);
                    } catch (IOException e) {
                        return;
                    }
                    page[0] = request[0];
                    out.write(page);
                }
            }
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
}
