package io.giantvm.engine.dsm.bench;

import io.giantvm.engine.dsm.DsmLayout;
import io.giantvm.engine.dsm.uffd.HostTouch;
import io.giantvm.engine.mesh.MeshAddress;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One node of a two-process DSM over real userfaultfd and TCP, for tests that put the two processes in different
 * network namespaces. Args: {@code self rounds host0:port0 host1:port1}.
 *
 * <p>The nodes play ping-pong on two counters, one homed at each node: node {@code self} increments a counter only
 * when its parity equals {@code self}, so every increment needs the page that the other node wrote last — a
 * write-protect upgrade or a remote fault each time, and an invalidation of the other node's copy. After
 * {@code rounds} increments each, both counters must read {@code 2 * rounds}. Prints {@code final A B moves M};
 * exits 0, or 1 when the counters are wrong, 3 when stuck for minutes.
 */
public final class PingPongDsmPeer {
    private static final long[] COUNTERS = {
            DsmLayout.addressOf(1) + 16, // homed at node 0
            DsmLayout.addressOf(BenchLayout.PAGES_PER_NODE + 1) + 16 // homed at node 1
    };

    private PingPongDsmPeer() {}

    public static void main(String[] args) throws Exception {
        Thread.ofPlatform().daemon().name("ping-pong-bound").start(() -> {
            try {
                Thread.sleep(TimeUnit.MINUTES.toMillis(2));
            } catch (InterruptedException ignored) {
                // exiting anyway
            }
            System.err.println("ping-pong: node still running after 2 minutes, giving up");
            System.exit(3);
        });
        int self = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        List<MeshAddress> nodes = List.of(address(0, args[2]), address(1, args[3]));
        CountDownLatch peerGone = new CountDownLatch(1);
        try (BenchNode node = new BenchNode(self, nodes, f -> { })) {
            node.transport.addPeerDownListener(n -> peerGone.countDown());
            MemorySegment ram = node.ram();
            for (int r = 0; r < rounds; r++) {
                for (long counter : COUNTERS) {
                    long v;
                    while ((v = HostTouch.load(ram, counter)) % 2 != self) {
                        Thread.onSpinWait();
                    }
                    HostTouch.store(ram, counter, v + 1);
                }
            }
            long expected = 2L * rounds;
            for (long counter : COUNTERS) { // node 0 waits for node 1's last increments
                while (HostTouch.load(ram, counter) != expected) {
                    Thread.onSpinWait();
                }
            }
            System.out.printf("final %d %d moves %d%n", HostTouch.load(ram, COUNTERS[0]), HostTouch.load(ram, COUNTERS[1]),
                    node.dsm.stats().totalMoves());
            System.out.flush();
            if (self == 1) {
                // Node 1 wrote last and owns both pages: it serves node 0's final reads until node 0 leaves.
                peerGone.await(1, TimeUnit.MINUTES);
            }
        }
        System.exit(0);
    }

    private static MeshAddress address(int node, String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new MeshAddress(node, hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }
}
