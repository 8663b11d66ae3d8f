package io.giantvm.engine.dsm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Progress under contention: two vCPUs on two nodes store into one page over and over (a spinlock), under the
 * worst schedule the protocol allows. Every vCPU access goes straight to the memory as on userfaultfd; a store
 * that faults waits for the grant and then tries again at a step of its own, by which time the page may be gone.
 *
 * <p>The adversary: a retry that would fail runs at once; otherwise frames are delivered (oldest first, in order
 * per pair as on TCP); a retry that would succeed runs only when nothing else can happen. The one assumption, which
 * the {@link Hold} is sized for: a woken vCPU retries before its page's hold ends, so a hold ends (here: the
 * simulated timer fires) only once every vCPU that holds a granted page has used it.
 */
class DsmProgressTest {
    private static final long PAGE = 0; // homed at node 0
    private static final int STEPS = 3000;

    @Test
    void withTheHoldBothSpinningVcpusKeepStoring() {
        int[] stores = spin(new SimHold(DsmLayout.MIN_HOLD_NANOS));
        assertThat(stores[0]).as("stores by node 0's vCPU").isGreaterThan(STEPS / 50);
        assertThat(stores[1]).as("stores by node 1's vCPU").isGreaterThan(STEPS / 50);
    }

    /** What the hold prevents: the page moves on every step while no vCPU ever completes a store. */
    @Test
    void withoutTheHoldThePagePingPongsAndNobodyStores() {
        int[] stores = spin(new SimHold(0));
        assertThat(stores[0] + stores[1]).as("stores by both vCPUs").isZero();
    }

    private static int[] spin(SimHold hold) {
        try (SimCluster c = SimCluster.manualInOrder(2, 1, hold)) {
            Spinner[] vcpus = {new Spinner(c, 0), new Spinner(c, 1)};
            for (int step = 0; step < STEPS; step++) {
                Spinner failing = null;
                for (Spinner v : vcpus) {
                    if (v.ready && !v.wouldSucceed()) {
                        failing = v;
                    }
                }
                if (failing != null) {
                    failing.attempt();
                } else if (c.mesh.inFlight() > 0) {
                    c.mesh.deliver(0);
                } else if (hold.pending() > 0 && allGrantsUsed(vcpus)) {
                    hold.fireNext();
                } else {
                    Spinner next = vcpus[0].ready && !vcpus[0].usedGrant ? vcpus[0] : vcpus[1].ready && !vcpus[1].usedGrant ? vcpus[1]
                            : vcpus[0].ready ? vcpus[0] : vcpus[1];
                    assertThat(next.ready).as("step %d: something can happen", step).isTrue();
                    next.attempt();
                }
                String violation = InvariantChecker.check(c, c.truthTable());
                assertThat(violation).as("step %d", step).isNull();
            }
            long moves = c.nodes[0].stats().moves(PAGE) + c.nodes[1].stats().moves(PAGE);
            System.out.printf("progress (hold %d µs): %d steps, stores %d + %d, page moves %d, held steps %d%n",
                    hold.minNanos() / 1000, STEPS, vcpus[0].stores, vcpus[1].stores, moves,
                    c.nodes[0].stats().holdsWaited() + c.nodes[1].stats().holdsWaited());
            assertThat(moves).as("the page moved between the nodes").isGreaterThan(STEPS / 50);
            return new int[] {vcpus[0].stores, vcpus[1].stores};
        }
    }

    private static boolean allGrantsUsed(Spinner[] vcpus) {
        for (Spinner v : vcpus) {
            if (v.ready && v.wouldSucceed() && !v.usedGrant) {
                return false;
            }
        }
        return true;
    }

    /** A vCPU that stores into the page again and again. */
    private static final class Spinner {
        final SimCluster c;
        final int node;
        boolean ready = true;
        boolean usedGrant = true;
        int stores;

        Spinner(SimCluster c, int node) {
            this.c = c;
            this.node = node;
        }

        boolean wouldSucceed() {
            return c.memories[node].isWritable(PAGE);
        }

        void attempt() {
            long value = ((long) node << 32) | stores;
            if (c.memories[node].vcpuWrite(PAGE, 0, DsmStressTestBytes.of(value))) {
                c.truth(PAGE, value);
                stores++;
                usedGrant = true;
                return; // spins: ready to store again
            }
            ready = false;
            c.nodes[node].requestAccess(PAGE, Access.WRITE).whenComplete((v, e) -> {
                if (e != null) {
                    throw new AssertionError(e);
                }
                ready = true;
                usedGrant = false;
            });
        }
    }
}
