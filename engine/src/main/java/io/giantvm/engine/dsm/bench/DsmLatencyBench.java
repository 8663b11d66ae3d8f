package io.giantvm.engine.dsm.bench;

import com.google.protobuf.ByteString;
import io.giantvm.engine.dsm.DsmLayout;
import io.giantvm.engine.dsm.uffd.HostTouch;
import io.giantvm.engine.mesh.v1.Frame;
import io.giantvm.engine.mesh.v1.Opaque;
import io.giantvm.engine.mesh.v1.Ping;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code giantvm bench dsm-latency}: in one run, on this machine, the two floors of a remote fault and the remote
 * faults themselves, and their ratio.
 * <ol>
 *   <li>a userfaultfd fault resolved locally (UFFDIO_COPY from a blocking handler thread);</li>
 *   <li>a raw TCP round trip of 64 B out and a 4 KiB page back, between two processes;</li>
 *   <li>remote read and write faults between two DSM nodes in two processes over the TCP mesh, on pages that
 *       the other node is home and owner of (one round trip each, as in the common two-node case).</li>
 * </ol>
 * Prints each figure and remote-read-median / (uffd floor + TCP floor).
 */
public final class DsmLatencyBench {

    private DsmLatencyBench() {}

    public static void main(String[] args) throws Exception {
        run(System.out);
    }

    public static void run(PrintStream out) throws Exception {
        Samples uffd = UffdFloor.measure(BenchLayout.WARMUP, BenchLayout.SAMPLES);
        out.println("dsm-latency: uffd fault resolved locally (floor): " + uffd.summary());
        Samples tcp = tcpFloor();
        out.println("dsm-latency: tcp 64 B / 4 KiB ping-pong between processes (floor): " + tcp.summary());
        Samples[] owner = DowngradeCost.measure(BenchLayout.SAMPLES);
        out.println("dsm-latency: owner-side cost, not in the floors: write-protect " + owner[0].summary()
                + "; drop " + owner[1].summary());
        Samples[] remote = remoteFaults();
        out.println("dsm-latency: remote read fault: " + remote[0].summary());
        out.println("dsm-latency: remote write fault: " + remote[1].summary());
        double ratio = remote[0].medianMicros() / (uffd.medianMicros() + tcp.medianMicros());
        out.printf("dsm-latency: ratio remote-read-median / (uffd floor + tcp floor) = %.2f / (%.1f + %.1f) = %.2f (goal <= 1.5)%n",
                remote[0].medianMicros(), uffd.medianMicros(), tcp.medianMicros(), ratio);
    }

    private static Samples tcpFloor() throws Exception {
        int port = freePort();
        Process peer = startPeer("tcp-echo", String.valueOf(port));
        try {
            awaitLine(peer, "ready");
            return TcpFloor.measure(port, BenchLayout.WARMUP, BenchLayout.SAMPLES);
        } finally {
            stop(peer);
        }
    }

    private static Samples[] remoteFaults() throws Exception {
        int port0 = freePort();
        int port1 = freePort();
        Process peer = startPeer("dsm-node", String.valueOf(port0), String.valueOf(port1));
        Samples reads = new Samples(BenchLayout.SAMPLES);
        Samples writes = new Samples(BenchLayout.SAMPLES);
        try (BenchNode node = new BenchNode(0, port0, port1, f -> { })) {
            Samples mesh = new Samples(BenchLayout.SAMPLES);
            for (int i = 0; i < BenchLayout.MESH_WARMUP + BenchLayout.SAMPLES; i++) {
                long t0 = System.nanoTime();
                node.transport.request(1, Frame.newBuilder().setPing(Ping.newBuilder().setPayload(ByteString.copyFrom(new byte[BenchLayout.TCP_REQUEST]))),
                        Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS);
                if (i >= BenchLayout.MESH_WARMUP) {
                    mesh.add(System.nanoTime() - t0);
                }
            }
            System.out.println("dsm-latency: mesh request/reply (64 B / 4 KiB frames): " + mesh.summary());
            MemorySegment ram = node.ram();
            long first = BenchNode.firstRemotePage();
            int perRound = BenchLayout.PAGES_PER_ROUND;
            int round = 0;
            while (writes.count() < BenchLayout.SAMPLES) {
                boolean warm = round++ >= BenchLayout.DSM_WARMUP_ROUNDS;
                own(node, first, perRound);
                for (long p = first; p < first + perRound; p++) {
                    long t0 = System.nanoTime();
                    long v = HostTouch.load(ram, DsmLayout.addressOf(p));
                    long dt = System.nanoTime() - t0;
                    if (v == 0) {
                        throw new IllegalStateException("page " + p + " read 0 after the peer wrote it");
                    }
                    if (warm) {
                        reads.add(dt);
                    }
                }
                own(node, first, perRound);
                for (long p = first; p < first + perRound; p++) {
                    long t0 = System.nanoTime();
                    HostTouch.store(ram, DsmLayout.addressOf(p) + 8, p);
                    long dt = System.nanoTime() - t0;
                    if (warm) {
                        writes.add(dt);
                    }
                }
            }
            System.out.println(node.dsm.stats().format().lines().filter(l -> !l.contains("most moved")).collect(java.util.stream.Collectors.joining("\n")));
        } finally {
            stop(peer);
        }
        return new Samples[] {reads, writes};
    }

    /** Asks node 1 to write the pages, so it owns them again and this node's copies are gone. */
    private static void own(BenchNode node, long first, int count) throws Exception {
        node.transport.request(1, Frame.newBuilder().setOpaque(Opaque.newBuilder().setChannel(BenchLayout.CHANNEL)
                .setData(ByteString.copyFromUtf8("own " + first + " " + count))), Duration.ofSeconds(30))
                .get(30, TimeUnit.SECONDS);
    }

    private static Process startPeer(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                BenchPeer.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static void awaitLine(Process p, String expected) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()));
        String line = r.readLine();
        if (!expected.equals(line)) {
            throw new IllegalStateException("benchmark peer said " + line + " instead of " + expected);
        }
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
