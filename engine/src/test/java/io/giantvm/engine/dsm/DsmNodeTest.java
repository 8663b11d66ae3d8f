package io.giantvm.engine.dsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.giantvm.engine.mesh.InProcessMesh;
import io.giantvm.engine.mesh.v1.DsmInvalidate;
import io.giantvm.engine.mesh.v1.Frame;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Scenarios of the protocol core, stepped frame by frame over a manual in-process mesh. */
class DsmNodeTest {

    private static CompletableFuture<Long> write(SimCluster c, int node, long page, long value) {
        return c.nodes[node].accessAsync(page, Access.WRITE, m -> {
            m.write(DsmLayout.addressOf(page), DsmStressTestBytes.of(value), 0, 8);
            return value;
        });
    }

    private static CompletableFuture<Long> read(SimCluster c, int node, long page) {
        return c.nodes[node].accessAsync(page, Access.READ, m -> {
            byte[] b = new byte[8];
            m.read(DsmLayout.addressOf(page), b, 0, 8);
            return DsmStressTestBytes.toLong(b);
        });
    }

    private static List<Frame.BodyCase> kinds(SimCluster c) {
        return c.mesh.inFlightFrames().stream().map(f -> f.frame().getBodyCase()).toList();
    }

    @Test
    void neverWrittenPageIsGrantedWithoutShippingZeros() {
        try (SimCluster c = SimCluster.manual(2, 1)) {
            CompletableFuture<Long> r = read(c, 1, 0);
            c.drain();
            assertThat(r.join()).isZero();
            CompletableFuture<Long> w = write(c, 1, 0, 7);
            c.drain();
            assertThat(w.join()).isEqualTo(7);
            for (DsmNode n : c.nodes) {
                assertThat(n.stats().bytesSent()).isZero();
                assertThat(n.stats().bytesReceived()).isZero();
            }
            assertThat(c.nodes[0].stats().zeroGrants()).isEqualTo(1);
            assertThat(c.nodes[1].stats().faults(FaultKind.READ_MISSING)).isEqualTo(1);
            assertThat(c.nodes[1].stats().faults(FaultKind.WRITE_PROTECT)).isEqualTo(1);
            assertThat(c.nodes[1].stateOf(0)).isEqualTo(PageState.MODIFIED);
        }
    }

    @Test
    void readersShareAndTheOwnerIsDowngradedToReadOnly() {
        try (SimCluster c = SimCluster.manual(3, 1)) {
            write(c, 0, 0, 42);
            c.drain();
            CompletableFuture<Long> r1 = read(c, 1, 0);
            CompletableFuture<Long> r2 = read(c, 2, 0);
            c.drain();
            assertThat(r1.join()).isEqualTo(42);
            assertThat(r2.join()).isEqualTo(42);
            assertThat(c.nodes[0].stateOf(0)).isEqualTo(PageState.SHARED);
            assertThat(c.memories[0].isWritable(0)).isFalse();
            assertThat(c.nodes[0].stats().bytesSent()).isEqualTo(2L * DsmLayout.PAGE_SIZE);
            assertThat(c.nodes[0].stats().faults(FaultKind.WRITE_MISSING)).isEqualTo(1);
        }
    }

    @Test
    void writeInvalidatesEveryCopyInParallelAndIsGrantedOnlyAfterAllAcks() {
        try (SimCluster c = SimCluster.manual(4, 1)) {
            write(c, 0, 0, 1);
            c.drain();
            for (int n = 1; n < 4; n++) {
                read(c, n, 0);
            }
            c.drain();
            CompletableFuture<Long> w = write(c, 1, 0, 2);
            c.mesh.deliver(0); // the write request reaches home 0
            assertThat(kinds(c)).containsExactlyInAnyOrder(Frame.BodyCase.DSM_INVALIDATE, Frame.BodyCase.DSM_INVALIDATE);
            c.mesh.deliver(0);
            c.mesh.deliver(0); // both invalidations arrive; two acks on their way, still no grant
            assertThat(kinds(c)).containsExactlyInAnyOrder(Frame.BodyCase.DSM_INVALIDATE_ACK, Frame.BodyCase.DSM_INVALIDATE_ACK);
            assertThat(w).isNotDone();
            c.drain();
            assertThat(w.join()).isEqualTo(2);
            assertThat(c.nodes[0].stats().invalidationsSent()).isEqualTo(2);
            assertThat(c.nodes[2].stats().invalidationsReceived()).isEqualTo(1);
            assertThat(c.nodes[3].stats().invalidationsReceived()).isEqualTo(1);
            // Node 1 held a current copy: the upgrade moved no data (only its first read did).
            assertThat(c.nodes[1].stats().bytesReceived()).isEqualTo(DsmLayout.PAGE_SIZE);
            assertThat(c.nodes[1].stats().faults(FaultKind.WRITE_PROTECT)).isEqualTo(1);
            for (int n = 0; n < 4; n++) {
                assertThat(c.nodes[n].stateOf(0)).isEqualTo(n == 1 ? PageState.MODIFIED : PageState.INVALID);
            }
        }
    }

    @Test
    void theHomesOwnFaultsAndTheStepsTheyCauseAtTheHomeSendNoFrame() {
        try (SimCluster c = SimCluster.manual(2, 1)) {
            CompletableFuture<Long> w = write(c, 0, 0, 5); // home 0, never written: a zero grant to itself
            assertThat(w).isDone();
            assertThat(kinds(c)).isEmpty();
            CompletableFuture<Long> r = read(c, 1, 0);
            c.drain();
            assertThat(r.join()).isEqualTo(5);
            // Node 1 holds a copy; the home's write invalidates it and upgrades its own: only the remote steps travel.
            CompletableFuture<Long> again = write(c, 0, 0, 6);
            assertThat(kinds(c)).containsExactly(Frame.BodyCase.DSM_INVALIDATE);
            c.drain();
            assertThat(again.join()).isEqualTo(6);
            assertThat(kinds(c)).isEmpty();
        }
    }

    @Test
    void requestsArrivingWhileOwnershipMovesAreQueuedAndServedInOrder() {
        try (SimCluster c = SimCluster.manual(3, 1)) {
            CompletableFuture<Long> a = write(c, 1, 0, 10);
            CompletableFuture<Long> b = write(c, 2, 0, 20);
            c.mesh.deliver(0); // node 1's request starts a transaction at home 0
            c.mesh.deliver(0); // node 2's request is queued
            CompletableFuture<Long> r = read(c, 0, 0); // the home's own read needs no frame, and is queued too
            assertThat(r).isNotDone();
            assertThat(c.nodes[0].directory().txn(0).queued).hasSize(2);
            c.drain();
            assertThat(a.join()).isEqualTo(10);
            assertThat(b.join()).isEqualTo(20);
            assertThat(r.join()).isEqualTo(20);
            assertThat(c.nodes[0].directory().activeTransactions()).isZero();
            assertThat(c.nodes[0].stats().remoteRequestsServed()).isEqualTo(2);
            assertThat(c.nodes[1].stats().moves(0)).isEqualTo(1);
            assertThat(c.nodes[2].stats().topMovedPages(1)).singleElement().extracting(DsmStats.PageMoves::page).isEqualTo(0L);
        }
    }

    @Test
    void onAnInOrderMeshAGrantFromTheHomeNeedsNoConfirm() {
        try (SimCluster c = SimCluster.manualInOrder(2, 1)) {
            write(c, 1, 1, 9); // page 1 is homed at node 1, which now owns it
            c.drain();
            CompletableFuture<Long> r = read(c, 0, 1);
            assertThat(kinds(c)).containsExactly(Frame.BodyCase.DSM_REQUEST);
            c.mesh.deliver(0);
            // The home is the owner: it hands the page over in the same step, with no frame to itself.
            assertThat(kinds(c)).containsExactly(Frame.BodyCase.DSM_GRANT);
            assertThat(c.nodes[1].directory().activeTransactions()).isZero(); // final as sent: nothing can overtake it
            c.mesh.deliver(0);
            assertThat(r.join()).isEqualTo(9);
            assertThat(kinds(c)).isEmpty();
        }
    }

    @Test
    void onAnUnorderedMeshEveryGrantIsConfirmed() {
        try (SimCluster c = SimCluster.manual(2, 1)) {
            write(c, 1, 1, 9);
            c.drain();
            CompletableFuture<Long> r = read(c, 0, 1);
            c.mesh.deliver(0); // the request; the home, as owner, answers with the grant at once
            assertThat(kinds(c)).containsExactly(Frame.BodyCase.DSM_GRANT);
            assertThat(c.nodes[1].directory().activeTransactions()).isOne();
            c.mesh.deliver(0);
            assertThat(r.join()).isEqualTo(9);
            assertThat(kinds(c)).containsExactly(Frame.BodyCase.DSM_CONFIRM);
            c.drain();
            assertThat(c.nodes[1].directory().activeTransactions()).isZero();
        }
    }

    @Test
    void anInvalidationOlderThanTheHeldCopyDoesNotDestroyIt() {
        try (SimCluster c = SimCluster.manual(2, 1)) {
            write(c, 1, 0, 5);
            c.drain();
            long held = c.nodes[1].versionOf(0);
            c.nodes[1].onFrame(Frame.newBuilder().setFrom(0)
                    .setDsmInvalidate(DsmInvalidate.newBuilder().setPage(0).setVersion(held - 1)).build());
            assertThat(c.nodes[1].stateOf(0)).isEqualTo(PageState.MODIFIED);
            assertThat(kinds(c)).containsExactly(Frame.BodyCase.DSM_INVALIDATE_ACK);
        }
    }

    /**
     * Regression test for e213c07: the owner of a Modified page hands it to a writer. A vCPU on the owner keeps
     * storing into the page until the protocol takes it away; here one store lands right before each memory
     * operation the owner makes. Copying out before write-protecting let the store between the copy and the drop
     * land in a page about to be dropped: the new owner's copy lacked the last write.
     */
    @Test
    void aStoreRacingTheCopyOutOfAWriteTransferIsNeverLost() {
        assertRacingStoresReachTheNewCopy(Access.WRITE);
    }

    /** The same race on a read transfer: the owner writes on until the write-protect lands, never after the copy. */
    @Test
    void aStoreRacingTheCopyOutOfAReadTransferIsNeverLost() {
        assertRacingStoresReachTheNewCopy(Access.READ);
    }

    private static void assertRacingStoresReachTheNewCopy(Access access) {
        try (SimCluster c = SimCluster.manualInOrder(2, 1)) {
            long page = 0; // homed at node 0
            write(c, 1, page, 1);
            c.drain();
            long[] lastLanded = {1};
            long[] next = {100};
            List<Long> stores = new java.util.ArrayList<>();
            c.memories[1].beforeEachOperation(() -> {
                long v = next[0]++;
                if (c.memories[1].vcpuWrite(page, 0, DsmStressTestBytes.of(v))) {
                    lastLanded[0] = v;
                    stores.add(v);
                }
            });
            // What node 0 finds in the page once it holds it, for reading or for writing.
            CompletableFuture<Long> got = c.nodes[0].accessAsync(page, access, m -> {
                byte[] b = new byte[8];
                m.read(DsmLayout.addressOf(page), b, 0, 8);
                return DsmStressTestBytes.toLong(b);
            });
            c.drain();
            assertThat(stores).as("the owner's vCPU stored at least once while the protocol worked").isNotEmpty();
            assertThat(got.join()).as("what node 0 sees after the transfer; stores that landed on node 1: %s", stores)
                    .isEqualTo(lastLanded[0]);
        }
    }

    @Test
    void aFaultThatIsNeverAnsweredFailsLoudlyNamingPageAndHome() {
        InProcessMesh mesh = InProcessMesh.manual(2); // nobody delivers: the home never answers
        try (DsmNode node = new DsmNode(mesh.transport(1), HomeMap.evenPages(2, 1), new SimulatedPageMemory(1), Duration.ofMillis(200))) {
            assertThatThrownBy(() -> node.readFault(0))
                    .isInstanceOf(DsmFaultException.class)
                    .hasMessageContaining("page 0x0")
                    .hasMessageContaining("home node 0")
                    .hasMessageContaining("200 ms");
        }
    }

    @Test
    void aDeadPeerFailsWaitingAndLaterFaultsNamingThePeer() throws Exception {
        try (SimCluster c = SimCluster.threaded(2, 1, null, Duration.ZERO, Duration.ofSeconds(5))) {
            c.nodes[1].writeFault(1); // node 1 homes and owns page 1
            c.mesh.kill(1);
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> c.nodes[0].readFault(1))
                    .isInstanceOf(DsmFaultException.class)
                    .hasMessageContaining("node 1 is down");
            assertThat(System.nanoTime() - t0).isLessThan(Duration.ofSeconds(2).toNanos());
        }
    }

    @Test
    void engineAccessesOnManyThreadsKeepACounterExact() throws Exception {
        int nodes = 3;
        int threadsPerNode = 2;
        int increments = 300;
        try (SimCluster c = SimCluster.threaded(nodes, 2, 7L, Duration.ofMillis(1), Duration.ofSeconds(10))) {
            GuestMemoryAccess[] mem = new GuestMemoryAccess[nodes];
            for (int i = 0; i < nodes; i++) {
                mem[i] = new GuestMemoryAccess(c.nodes[i]);
            }
            long counter = DsmLayout.addressOf(3) + 16; // homed at node 1
            long spanning = DsmLayout.addressOf(1) - 4; // a value that straddles two pages homed at node 0
            Thread[] threads = new Thread[nodes * threadsPerNode];
            for (int t = 0; t < threads.length; t++) {
                int node = t / threadsPerNode;
                DsmNode dsm = c.nodes[node];
                threads[t] = Thread.ofPlatform().name("test-vcpu-" + t).start(() -> {
                    for (int i = 0; i < increments; i++) {
                        // read-modify-write atomically under write permission, as a guest's locked add would be
                        dsm.access(DsmLayout.pageOf(counter), Access.WRITE, m -> {
                            byte[] b = new byte[8];
                            m.read(counter, b, 0, 8);
                            m.write(counter, DsmStressTestBytes.of(DsmStressTestBytes.toLong(b) + 1), 0, 8);
                            return null;
                        });
                        if (i % 50 == 0) {
                            mem[node].readLong(spanning);
                        }
                    }
                });
            }
            mem[2].writeLong(spanning, 0x1122334455667788L);
            for (Thread t : threads) {
                t.join(Duration.ofSeconds(30));
                assertThat(t.isAlive()).as("thread %s finished", t.getName()).isFalse();
            }
            assertThat(mem[0].readLong(counter)).isEqualTo((long) threads.length * increments);
            assertThat(mem[1].readLong(spanning)).isEqualTo(0x1122334455667788L);
            long moves = 0;
            for (DsmNode n : c.nodes) {
                System.out.println(n.stats().format());
                moves += n.stats().totalMoves();
            }
            assertThat(moves).isGreaterThan(nodes);
        }
    }
}
