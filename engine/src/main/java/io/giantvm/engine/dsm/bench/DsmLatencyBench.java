package io.giantvm.engine.dsm.bench;

import com.google.protobuf.ByteString;
import io.giantvm.engine.dsm.DsmLayout;
import io.giantvm.engine.dsm.uffd.HostTouch;
import io.giantvm.engine.mesh.ReplyWait;
import io.giantvm.engine.mesh.v1.Frame;
import io.giantvm.engine.mesh.v1.Opaque;
import io.giantvm.engine.mesh.v1.Ping;
import io.giantvm.engine.os.CpuAffinity;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code giantvm bench dsm-latency --runs N}: each run measures, on this machine and in the same minute, the
 * floors of a remote fault and the remote faults themselves, and prints their ratio; the last lines give the
 * median of the runs' ratios and a one-line verdict against each goal.
 * <ol>
 *   <li>a userfaultfd fault resolved locally (UFFDIO_COPY from a handler thread blocked in poll + read, as the
 *       DSM's uffd reader);</li>
 *   <li>a raw TCP round trip of 64 B out and a 4 KiB page back between two processes, TCP_NODELAY as the mesh's
 *       data connections: once with both sides blocking (for reference), once with the asker polling for its
 *       answer as the mesh's requesters do (the floor; {@link TcpFloor});</li>
 *   <li>the two in one: a uffd fault whose handler makes that polling round trip before UFFDIO_COPY, the floor the
 *       remote read is held to ({@link UffdFloor#measureWithRoundTrip}, which says why not the sum of the two);</li>
 *   <li>the mesh's own request/reply of the same sizes, waited for as a vCPU waits for a forwarded access
 *       ({@link ReplyWait#request}: the caller reads its reply off the connection itself, so no receive thread
 *       wakes up to hand it over);</li>
 *   <li>remote read and write faults between two DSM nodes in two processes over the TCP mesh, on pages that the
 *       other node is home and owner of, one round trip each. The peer has just written each page, so every read
 *       fault is one whose owner must first write-protect its copy (what a guest sees when it reads a page
 *       another node wrote); every write fault makes the owner drop its copy.</li>
 * </ol>
 * Every process of a run is pinned to CPUs as its {@link Placement} says, the floors' processes exactly as the
 * fault's: with nodes sharing one core every hop is a context switch, with a core each every hop wakes another
 * core, and on a small host the two differ several-fold. {@link BenchSummary} prints the table and a verdict per
 * placement, or none where a floor would not hold still.
 */
public final class DsmLatencyBench {
    private DsmLatencyBench() {}

    public static void main(String[] args) throws Exception {
        run(System.out, 3, List.of(Placement.values()));
    }

    /**
     * {@code runs} runs in each of {@code placements}, interleaved (run 1 in every placement, then run 2, ...) so a
     * change in the host's load falls on all placements alike; then the table and the verdicts. The process's own
     * CPU affinity is restored at the end.
     */
    public static void run(PrintStream out, int runs, List<Placement> placements) throws Exception {
        BitSet allowed = CpuAffinity.allowed();
        List<Placement> possible = new ArrayList<>();
        for (Placement p : placements) {
            if (p.possibleOn(allowed)) {
                possible.add(p);
            } else {
                out.println("dsm-latency: skipped \"" + p.description() + "\": this process may run on "
                        + allowed.cardinality() + " CPU");
            }
        }
        out.println("dsm-latency: " + allowed.cardinality() + " CPUs (" + allowed + "), load average "
                + loadAverage() + "; every process of a run is pinned as its placement says");
        List<RunFigures> figures = new ArrayList<>();
        try {
            for (int r = 1; r <= runs; r++) {
                for (Placement p : possible) {
                    figures.add(runOnce(out, r, "dsm-latency run " + r + "/" + runs + ", " + p.description() + ": ", p, allowed));
                }
            }
        } finally {
            CpuAffinity.pinProcess(allowed);
        }
        BenchSummary.print(out, figures);
    }

    private static RunFigures runOnce(PrintStream out, int run, String label, Placement placement, BitSet allowed)
            throws Exception {
        CpuAffinity.pinProcess(placement.cpuOf(0, allowed));
        int peerCpu = placement.cpuOf(1, allowed);
        Samples uffd = UffdFloor.measure(BenchLayout.WARMUP, BenchLayout.SAMPLES);
        out.println(label + "uffd fault resolved locally (floor): " + uffd.summary());
        NetworkFloors floors = networkFloors(peerCpu);
        out.println(label + "tcp 64 B / 4 KiB ping-pong between processes, both sides block (for reference): " + floors.blocking().summary());
        out.println(label + "tcp 64 B / 4 KiB ping-pong between processes, the asker polls as the mesh's requesters (floor): "
                + floors.polling().summary());
        out.println(label + "uffd fault whose handler makes that round trip before UFFDIO_COPY (remote-fault floor): "
                + floors.remoteFault().summary());
        Samples[] owner = DowngradeCost.measure(BenchLayout.SAMPLES);
        out.println(label + "owner-side cost, not in the floors: write-protect " + owner[0].summary()
                + "; drop " + owner[1].summary());
        Samples[] remote = remoteFaults(out, label, peerCpu);
        out.println(label + "mesh request/reply (64 B / 4 KiB frames): " + remote[2].summary());
        out.println(label + "remote read fault, owner write-protects first: " + remote[0].summary());
        out.println(label + "remote write fault, owner drops its copy: " + remote[1].summary());
        out.println(label + "forwarded port read (a register device: the I/O node serves it on the receive thread; the vCPU reads the reply itself): "
                + remote[3].summary());
        for (int readers = 1; readers <= 2; readers++) {
            out.println(label + "remote write fault that invalidates " + readers + " reader" + (readers > 1 ? "s" : "")
                    + " first (" + (2 + readers) + " processes): "
                    + InvalidatingWrites.measure(readers, placement, allowed).summary());
        }
        RunFigures f = new RunFigures(placement, run, uffd.medianMicros(), floors.polling().medianMicros(),
                floors.blocking().medianMicros(), floors.remoteFault().medianMicros(), remote[2].medianMicros(),
                remote[0].medianMicros(), remote[1].medianMicros(),
                remote[3].medianMicros());
        out.printf("%sratio remote-read-median / remote-fault floor = %.1f / %.1f = %.2f (goal <= %.1f; over the separate"
                + " floors' sum %.1f + %.1f: %.2f); mesh / tcp floor = %.1f / %.1f = %.2f (goal <= %.1f)%n", label,
                f.remoteRead(), f.faultFloor(), f.faultRatio(), BenchSummary.FAULT_GOAL, f.uffdFloor(), f.tcpFloor(),
                f.sumRatio(), f.mesh(), f.tcpFloor(), f.meshRatio(), BenchSummary.MESH_GOAL);
        return f;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The floors that need the peer process: TCP with both sides blocking, TCP with the asker polling, a whole remote fault. */
    private record NetworkFloors(Samples blocking, Samples polling, Samples remoteFault) {}

    /** {@link NetworkFloors}, from one peer that answers all three askers in turn. */
    private static NetworkFloors networkFloors(int peerCpu) throws Exception {
        int port = freePort();
        Process peer = startPeer(peerCpu, "tcp-echo", String.valueOf(port));
        try {
            awaitLine(peer, "ready");
            Samples blocking = TcpFloor.measure(port, BenchLayout.WARMUP, BenchLayout.SAMPLES);
            Samples polling = TcpFloor.measurePolling(port, BenchLayout.WARMUP, BenchLayout.SAMPLES);
            Samples fault;
            try (TcpFloor.PollingAsker asker = new TcpFloor.PollingAsker(port)) {
                fault = UffdFloor.measureWithRoundTrip(BenchLayout.WARMUP, BenchLayout.SAMPLES, asker);
            }
            return new NetworkFloors(blocking, polling, fault);
        } finally {
            stop(peer);
        }
    }

    /** {reads, writes, mesh request/reply, forwarded port reads}. */
    private static Samples[] remoteFaults(PrintStream out, String label, int peerCpu) throws Exception {
        int port0 = freePort();
        int port1 = freePort();
        Process peer = startPeer(peerCpu, "dsm-node", String.valueOf(port0), String.valueOf(port1));
        Samples reads = new Samples(BenchLayout.SAMPLES);
        Samples writes = new Samples(BenchLayout.SAMPLES);
        Samples mesh = new Samples(BenchLayout.SAMPLES);
        Samples port = new Samples(BenchLayout.SAMPLES);
        try (BenchNode node = new BenchNode(0, port0, port1, f -> { })) {
            for (int i = 0; i < BenchLayout.MESH_WARMUP + BenchLayout.SAMPLES; i++) {
                long t0 = System.nanoTime();
                // As a waiting caller does it (a vCPU's forwarded access): it reads its reply off the connection itself.
                ReplyWait.request(node.transport, 1, Frame.newBuilder().setPing(Ping.newBuilder()
                        .setPayload(ByteString.copyFrom(new byte[BenchLayout.TCP_REQUEST]))), Duration.ofSeconds(10));
                if (i >= BenchLayout.MESH_WARMUP) {
                    mesh.add(System.nanoTime() - t0);
                }
            }
            for (int i = 0; i < BenchLayout.WARMUP + BenchLayout.SAMPLES; i++) {
                long t0 = System.nanoTime();
                long v = node.remotePort.read(0, 0, 1);
                long dt = System.nanoTime() - t0;
                if (v != BenchLayout.FORWARDED_PORT_VALUE) {
                    throw new IllegalStateException("forwarded port read gave 0x" + Long.toHexString(v));
                }
                if (i >= BenchLayout.WARMUP) {
                    port.add(dt);
                }
            }
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
            node.dsm.stats().format().lines().filter(l -> !l.contains("most moved")).forEach(l -> out.println(label + l));
        } finally {
            stop(peer);
        }
        return new Samples[] {reads, writes, mesh, port};
    }

    /** Asks node 1 to write the pages, so it owns them again and this node's copies are gone. */
    private static void own(BenchNode node, long first, int count) throws Exception {
        command(node, 1, "own", first, count);
    }

    /** Has {@code peer} write ("own") or read ("read") pages {@code first..first+count-1}, and waits until it did. */
    static void command(BenchNode node, int peer, String what, long first, int count) throws Exception {
        node.transport.request(peer, Frame.newBuilder().setOpaque(Opaque.newBuilder().setChannel(BenchLayout.CHANNEL)
                .setData(ByteString.copyFromUtf8(what + " " + first + " " + count))), Duration.ofSeconds(30))
                .get(30, TimeUnit.SECONDS);
    }

    /** Starts a {@link BenchPeer} that pins itself to {@code cpu} before it does anything else. */
    static Process startPeer(int cpu, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-D" + BenchPeer.CPU_PROPERTY + "=" + cpu,
                "-cp", System.getProperty("java.class.path"), BenchPeer.class.getName()));
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

    static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
