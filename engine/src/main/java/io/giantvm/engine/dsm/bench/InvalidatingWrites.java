package io.giantvm.engine.dsm.bench;

import io.giantvm.engine.dsm.DsmLayout;
import io.giantvm.engine.dsm.uffd.HostTouch;
import io.giantvm.engine.mesh.MeshAddress;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Write faults that must invalidate readers first: node 0 writes pages that node 1 homes and owns while
 * {@code readers} other nodes (2, 3, ...) hold read copies, so the home invalidates them all in parallel and grants
 * only when every ack is in. One process per node, as in the two-node part; each round node 1 writes the pages
 * (taking them back), the readers read them, then node 0 writes them, timed.
 */
final class InvalidatingWrites {
    private InvalidatingWrites() {}

    static Samples measure(int readers, Placement placement, BitSet allowed) throws Exception {
        int nodes = 2 + readers;
        List<MeshAddress> addresses = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            addresses.add(new MeshAddress(i, "127.0.0.1", DsmLatencyBench.freePort()));
        }
        List<Process> peers = new ArrayList<>();
        Samples writes = new Samples(BenchLayout.INVALIDATION_SAMPLES);
        try {
            for (int i = 1; i < nodes; i++) {
                List<String> args = new ArrayList<>(List.of("dsm-nodes", String.valueOf(i)));
                addresses.forEach(a -> args.add(String.valueOf(a.port())));
                peers.add(DsmLatencyBench.startPeer(placement.cpuOf(i, allowed), args.toArray(String[]::new)));
            }
            try (BenchNode node = new BenchNode(0, addresses, f -> { })) {
                MemorySegment ram = node.ram();
                long first = BenchNode.firstRemotePage();
                int perRound = BenchLayout.PAGES_PER_ROUND;
                int round = 0;
                while (writes.count() < BenchLayout.INVALIDATION_SAMPLES) {
                    boolean warm = round++ >= BenchLayout.DSM_WARMUP_ROUNDS;
                    DsmLatencyBench.command(node, 1, "own", first, perRound);
                    for (int r = 2; r < nodes; r++) {
                        DsmLatencyBench.command(node, r, "read", first, perRound);
                    }
                    for (long p = first; p < first + perRound; p++) {
                        long t0 = System.nanoTime();
                        HostTouch.store(ram, DsmLayout.addressOf(p) + 8, p);
                        long dt = System.nanoTime() - t0;
                        if (warm) {
                            writes.add(dt);
                        }
                    }
                }
            }
        } finally {
            for (Process p : peers) {
                DsmLatencyBench.stop(p);
            }
        }
        return writes;
    }
}
