package io.giantvm.engine.dsm.uffd;

import static org.assertj.core.api.Assertions.assertThat;

import io.giantvm.engine.dsm.DsmFaultException;
import io.giantvm.engine.dsm.DsmLayout;
import io.giantvm.engine.dsm.DsmNode;
import io.giantvm.engine.dsm.FaultKind;
import io.giantvm.engine.dsm.GuestMemoryAccess;
import io.giantvm.engine.dsm.HomeMap;
import io.giantvm.engine.dsm.PageState;
import io.giantvm.engine.mesh.InProcessMesh;
import io.giantvm.engine.os.Libc;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real userfaultfd: host threads touch the mapped memory, the kernel stops them, the DSM resolves the faults.
 * (userfaultfd works here without KVM; the vCPU path differs only in who touches the memory.)
 */
class UffdPageMemoryTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final Queue<DsmFaultException> failures = new ConcurrentLinkedQueue<>();

    private record Node(DsmNode dsm, UffdPageMemory memory) {}

    private List<Node> cluster(int nodes, long pagesPerNode) {
        InProcessMesh mesh = InProcessMesh.threaded(nodes, null, Duration.ZERO);
        HomeMap homes = HomeMap.evenPages(nodes, pagesPerNode);
        List<Node> out = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            MemorySegment ram = UffdPageMemory.mapAnonymous(DsmLayout.addressOf(homes.pageCount()));
            UffdPageMemory memory = new UffdPageMemory(ram);
            DsmNode dsm = new DsmNode(mesh.transport(i), homes, memory, TIMEOUT);
            mesh.transport(i).setHandler(dsm);
            UffdFaultHandler handler = new UffdFaultHandler(dsm, memory, TIMEOUT, failures::add);
            toClose.add(handler);
            toClose.add(dsm);
            toClose.add(memory);
            toClose.add(() -> Libc.munmap(ram));
            out.add(new Node(dsm, memory));
        }
        toClose.add(mesh);
        return out;
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        assertThat(failures).isEmpty();
    }

    /** Runs {@code body} on a fresh thread (faults block the toucher, never the test) with a bound. */
    private static void touch(String name, Runnable body) throws InterruptedException {
        Thread t = Thread.ofPlatform().name(name).start(body);
        t.join(TIMEOUT);
        assertThat(t.isAlive()).as("%s finished within %s", name, TIMEOUT).isFalse();
    }

    @Test
    void aReadMapsZerosReadOnlyAndAWriteUpgradesThroughAWriteProtectFault() throws Exception {
        Node n = cluster(1, 8).getFirst();
        MemorySegment ram = n.memory().ram();
        long[] seen = new long[1];
        touch("toucher", () -> {
            seen[0] = HostTouch.load(ram, DsmLayout.addressOf(3) + 8);
            HostTouch.store(ram, DsmLayout.addressOf(3) + 8, 0xfeedL);
            HostTouch.store(ram, DsmLayout.addressOf(5), 0xbeefL);
        });
        assertThat(seen[0]).isZero();
        assertThat(n.dsm().stats().faults(FaultKind.READ_MISSING)).isEqualTo(1);
        assertThat(n.dsm().stats().faults(FaultKind.WRITE_PROTECT)).isEqualTo(1);
        assertThat(n.dsm().stats().faults(FaultKind.WRITE_MISSING)).isEqualTo(1);
        assertThat(n.dsm().stateOf(3)).isEqualTo(PageState.MODIFIED);
        assertThat(new GuestMemoryAccess(n.dsm()).readLong(DsmLayout.addressOf(3) + 8)).isEqualTo(0xfeedL);
        assertThat(n.dsm().stats().bytesReceived()).isZero(); // zeros are never shipped
    }

    @Test
    void twoNodesTakeTurnsOnACounterThroughRealFaults() throws Exception {
        List<Node> nodes = cluster(2, 4);
        long counter = DsmLayout.addressOf(6) + 64; // homed at node 1
        int rounds = 200;
        List<Thread> players = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int me = i;
            MemorySegment ram = nodes.get(i).memory().ram();
            players.add(Thread.ofPlatform().name("player-" + i).start(() -> {
                long deadline = System.nanoTime() + TIMEOUT.toNanos();
                for (int r = 0; r < rounds; r++) {
                    long v;
                    while ((v = HostTouch.load(ram, counter)) % 2 != me) {
                        if (System.nanoTime() > deadline) {
                            return; // the assertion below reports it
                        }
                        Thread.onSpinWait();
                    }
                    HostTouch.store(ram, counter, v + 1);
                }
            }));
        }
        for (Thread t : players) {
            t.join(TIMEOUT.plusSeconds(1));
            assertThat(t.isAlive()).isFalse();
        }
        for (Node n : nodes) {
            assertThat(new GuestMemoryAccess(n.dsm()).readLong(counter)).isEqualTo(2L * rounds);
            System.out.println(n.dsm().stats().format());
        }
        // Every turn moves the page: the waiting side read-faults it in (downgrading the writer to read-only),
        // then write-protect-faults to upgrade, which takes the other side's copy away.
        for (Node n : nodes) {
            assertThat(n.dsm().stats().faults(FaultKind.WRITE_PROTECT)).isGreaterThanOrEqualTo(rounds - 1);
            assertThat(n.dsm().stats().faults(FaultKind.READ_MISSING)).isGreaterThanOrEqualTo(rounds - 1);
        }
        assertThat(nodes.get(1).dsm().stats().moves(6) + nodes.get(0).dsm().stats().moves(6)).isGreaterThanOrEqualTo(2 * rounds);
    }
}
