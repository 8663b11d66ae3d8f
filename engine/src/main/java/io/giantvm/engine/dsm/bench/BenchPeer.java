package io.giantvm.engine.dsm.bench;

import com.google.protobuf.ByteString;
import io.giantvm.engine.dsm.DsmLayout;
import io.giantvm.engine.dsm.uffd.HostTouch;
import io.giantvm.engine.mesh.MeshAddress;
import io.giantvm.engine.mesh.v1.Frame;
import io.giantvm.engine.mesh.v1.Opaque;
import io.giantvm.engine.os.CpuAffinity;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's second process. {@code tcp-echo PORT}: the raw TCP floor's server. {@code dsm-node PORT0 PORT1}:
 * DSM node 1; on "own FIRST COUNT" it writes to those pages (taking them back as owner) and answers "done".
 * Exits when the parent goes away, and in any case after a bound.
 */
public final class BenchPeer {
    /** The system property naming the CPU the peer pins itself to ({@link Placement}). */
    static final String CPU_PROPERTY = "giantvm.bench.cpu";

    private BenchPeer() {}

    public static void main(String[] args) throws Exception {
        Integer cpu = Integer.getInteger(CPU_PROPERTY);
        if (cpu != null) {
            CpuAffinity.pinProcess(cpu);
        }
        Thread.ofPlatform().daemon().name("bench-peer-bound").start(() -> {
            try {
                Thread.sleep(TimeUnit.MINUTES.toMillis(3));
            } catch (InterruptedException ignored) {
                // exiting anyway
            }
            System.exit(3);
        });
        switch (args[0]) {
            case "tcp-echo" -> TcpFloor.serve(Integer.parseInt(args[1]));
            case "dsm-node" -> dsmNode(1, List.of(address(0, args[1]), address(1, args[2])));
            case "dsm-nodes" -> {
                List<MeshAddress> nodes = new ArrayList<>();
                for (int i = 2; i < args.length; i++) {
                    nodes.add(address(i - 2, args[i]));
                }
                dsmNode(Integer.parseInt(args[1]), nodes);
            }
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
        System.exit(0);
    }

    private static MeshAddress address(int node, String port) {
        return new MeshAddress(node, "127.0.0.1", Integer.parseInt(port));
    }

    /** Node {@code self}; "own FIRST COUNT" writes those pages, "read FIRST COUNT" reads them; both answer "done". */
    private static void dsmNode(int self, List<MeshAddress> nodes) throws InterruptedException {
        CountDownLatch parentGone = new CountDownLatch(1);
        BenchNode[] node = new BenchNode[1];
        CountDownLatch ready = new CountDownLatch(1);
        node[0] = new BenchNode(self, nodes, f -> {
            String[] cmd = f.getOpaque().getData().toStringUtf8().split(" ");
            long first = Long.parseLong(cmd[1]);
            int count = Integer.parseInt(cmd[2]);
            // Touching memory faults, and faults are resolved by the mesh threads: never touch on one of them.
            Thread.ofPlatform().name("bench-toucher").start(() -> {
                try {
                    ready.await();
                } catch (InterruptedException e) {
                    return;
                }
                boolean write = cmd[0].equals("own");
                for (long p = first; p < first + count; p++) {
                    long off = DsmLayout.addressOf(p);
                    long v = HostTouch.load(node[0].ram(), off);
                    if (write) {
                        HostTouch.store(node[0].ram(), off, v + 1);
                    }
                }
                node[0].transport.reply(f, Frame.newBuilder().setOpaque(Opaque.newBuilder()
                        .setChannel(BenchLayout.CHANNEL).setData(ByteString.copyFromUtf8("done"))));
            });
        });
        ready.countDown();
        node[0].transport.addPeerDownListener(n -> parentGone.countDown());
        parentGone.await(3, TimeUnit.MINUTES);
        node[0].close();
    }
}
