package io.giantvm.engine.dsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.giantvm.engine.mesh.InProcessMesh;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Seeded random stress of the protocol core: 2..5 nodes, a handful of contended pages, several accesses in
 * flight per node, and every frame delivered in a random order — either with no FIFO between any pair (every
 * grant confirmed), or first-in first-out per pair as on TCP (the home's own grants unconfirmed). After every step
 * the invariants are checked; at the end every access must have completed and nothing may be left in flight.
 *
 * <p>Two kinds of access, as on a real node. Engine accesses ({@link DsmNode#accessAsync}) run under the protocol
 * lock once granted. vCPU accesses do what a vCPU on userfaultfd memory does: load or store straight into the
 * memory when the page is there, without the lock; otherwise fault, wait for the grant, and try again later — by
 * when the page may be gone again. vCPUs also store into the pages they hold writable right before any memory
 * operation the protocol makes on their node ({@link SimulatedPageMemory#beforeEachOperation}): the owner keeps
 * writing until the write-protect lands, and a copy-out races a local store. A store that lands where the protocol
 * no longer counts it (the e213c07 bug) leaves the new holder's copy without it, which the invariants catch.
 *
 * <p>{@code -Ddsm.seed=N} replays one seed; {@code -Ddsm.seeds=N} runs seeds 1..N (default below, chosen so that
 * each test alone makes over 10^6 protocol steps, whichever of them a CI run or a developer runs).
 */
class DsmStressTest {
    /** 850 seeds make ~1.11 M steps in order and ~1.15 M reordered (~1,300 per seed), ~10 s per test on 2 busy cores. */
    private static final int DEFAULT_SEEDS = 850;
    /** Per test, what the issue asks of every CI run; checked on the default seeds (not on a replay or -Ddsm.seeds). */
    private static final long MIN_STEPS = 1_000_000;
    private static final int TRACE = 40;

    @Test
    void randomSeedsKeepTheInvariants() {
        runSeeds(false);
    }

    @Test
    void randomSeedsKeepTheInvariantsWhenPairsAreInOrder() {
        runSeeds(true);
    }

    private static void runSeeds(boolean inOrder) {
        String one = System.getProperty("dsm.seed");
        long first = one != null ? Long.parseLong(one) : 1;
        long count = one != null ? 1 : Long.getLong("dsm.seeds", DEFAULT_SEEDS);
        long t0 = System.nanoTime();
        long steps = 0;
        long ops = 0;
        long vcpuStores = 0;
        long refaults = 0;
        long held = 0;
        for (long seed = first; seed < first + count; seed++) {
            Run run = new Run(seed, inOrder);
            run.execute();
            steps += run.steps;
            ops += run.completed;
            vcpuStores += run.vcpuStores;
            refaults += run.refaults;
            held += run.held;
        }
        System.out.printf("dsm stress%s: %d seeds from %d, %d steps, %d accesses, %d racing vCPU stores, %d vCPU refaults"
                + " (page gone again before the retry), %d steps held, %.1f s%n", inOrder ? " (in order)" : "", count, first, steps,
                ops, vcpuStores, refaults, held, (System.nanoTime() - t0) / 1e9);
        if (one == null && System.getProperty("dsm.seeds") == null) {
            assertThat(steps).as("protocol steps per CI run").isGreaterThanOrEqualTo(MIN_STEPS);
        }
    }

    /** One seed's run. */
    private static final class Run {
        final long seed;
        final boolean inOrder;
        final Random rnd;
        final SimCluster cluster;
        final SimHold hold;
        final byte[][] truth;
        final int[] inFlightPerNode;
        final int maxInFlightPerNode;
        final int targetOps;
        /** vCPU accesses whose fault was granted and that will try again at a step of their own. */
        final List<VcpuAccess> retries = new ArrayList<>();
        final Object[] trace = new Object[TRACE];
        long noted;
        final List<String> failures = new ArrayList<>();
        int started;
        int completed;
        long steps;
        long vcpuStores;
        long refaults;
        long held;

        Run(long seed, boolean inOrder) {
            this.seed = seed;
            this.inOrder = inOrder;
            this.rnd = new Random(seed);
            int nodes = 2 + rnd.nextInt(4);
            long pagesPerNode = 1 + rnd.nextInt(2);
            // Half the seeds run with the progress hold: invalidations and forwards of a freshly granted page wait
            // for the simulated clock, which the schedule moves at random.
            this.hold = new SimHold(rnd.nextBoolean() ? DsmLayout.MIN_HOLD_NANOS : 0);
            this.cluster = inOrder ? SimCluster.manualInOrder(nodes, pagesPerNode, hold) : SimCluster.manual(nodes, pagesPerNode, hold);
            this.truth = new byte[(int) cluster.pageCount()][DsmLayout.PAGE_SIZE];
            this.inFlightPerNode = new int[nodes];
            this.maxInFlightPerNode = 1 + rnd.nextInt(3);
            this.targetOps = 150 + rnd.nextInt(250);
            int racing = rnd.nextInt(3); // 0: no racing stores in this seed, 1: some, 2: many
            for (int i = 0; i < nodes; i++) {
                int node = i;
                cluster.memories[i].beforeEachOperation(() -> {
                    if (racing > 0 && rnd.nextInt(racing == 1 ? 4 : 1) == 0) {
                        racingStore(node);
                    }
                });
            }
        }

        /** A vCPU access: a load or a store of one long, straight into the memory when the page allows it. */
        private final class VcpuAccess {
            final int id;
            final int node;
            final long page;
            final boolean write;
            final int offset;
            final long value;

            VcpuAccess(int id, int node, long page, boolean write, int offset, long value) {
                this.id = id;
                this.node = node;
                this.page = page;
                this.write = write;
                this.offset = offset;
                this.value = value;
            }

            /** Tries the access; on a fault asks the DSM, queues a retry for when the grant is in and returns false. */
            boolean attempt() {
                if (write ? store(node, page, offset, value) : load(node, page, "read #" + id)) {
                    note("vcpu #" + id + " done");
                    finished(node, null);
                    return true;
                }
                note("vcpu #" + id + " faults");
                cluster.nodes[node].requestAccess(page, write ? Access.WRITE : Access.READ).whenComplete((v, e) -> {
                    if (e != null) {
                        finished(node, "vcpu access #" + id + " failed: " + e);
                    } else {
                        retries.add(this);
                    }
                });
                return false;
            }
        }

        void execute() {
            try (cluster) {
                long maxSteps = 200L * targetOps;
                while (started < targetOps || completed < started || cluster.mesh.inFlight() > 0 || hold.pending() > 0) {
                    if (++steps > maxSteps) {
                        fail(failure("no end after " + maxSteps + " steps: livelock"));
                    }
                    boolean canStart = started < targetOps && hasCapacity();
                    int frames = cluster.mesh.inFlight();
                    int choice = rnd.nextInt(8);
                    if (!retries.isEmpty() && (choice == 0 || frames == 0 && !canStart)) {
                        VcpuAccess retry = retries.remove(rnd.nextInt(retries.size()));
                        note("vcpu #" + retry.id + " tries again");
                        if (!retry.attempt()) {
                            refaults++;
                        }
                    } else if (choice == 1) {
                        racingStore(rnd.nextInt(cluster.nodes.length));
                    } else if (hold.pending() > 0 && (choice == 2 || frames == 0 && !canStart && retries.isEmpty())) {
                        note("a hold ends");
                        hold.fireNext();
                    } else if (canStart && (frames == 0 || choice < 5)) {
                        startAccess();
                    } else if (frames > 0) {
                        int index = cluster.mesh.deliveryIndex(rnd.nextInt(frames));
                        note(cluster.mesh.inFlightFrames().get(index));
                        try {
                            cluster.mesh.deliver(index);
                        } catch (RuntimeException e) {
                            throw new AssertionError(failure("protocol error: " + e), e);
                        }
                    } else if (retries.isEmpty()) {
                        fail(failure("deadlock: " + (started - completed) + " accesses wait and no frame is in flight"));
                    }
                    if (!failures.isEmpty()) {
                        fail(failure(failures.getFirst()));
                    }
                    hold.advance(1000); // a microsecond per step: holds also end on their own
                    String violation = InvariantChecker.check(cluster, truth);
                    if (violation != null) {
                        fail(failure(violation));
                    }
                }
                for (DsmNode n : cluster.nodes) {
                    held += n.stats().holdsWaited();
                    if (n.outstandingFaults() != 0 || n.directory().activeTransactions() != 0) {
                        fail(failure("node " + n.self() + " ends with " + n.outstandingFaults() + " faults and "
                                + n.directory().activeTransactions() + " home transactions open: a request was lost"));
                    }
                }
            }
        }

        boolean hasCapacity() {
            for (int c : inFlightPerNode) {
                if (c < maxInFlightPerNode) {
                    return true;
                }
            }
            return false;
        }

        void startAccess() {
            int node;
            do {
                node = rnd.nextInt(inFlightPerNode.length);
            } while (inFlightPerNode[node] >= maxInFlightPerNode);
            long page = rnd.nextInt((int) cluster.pageCount());
            boolean write = rnd.nextInt(5) < 2;
            int offset = offset();
            long value = rnd.nextLong();
            int id = started++;
            inFlightPerNode[node]++;
            if (rnd.nextBoolean()) {
                note("start vcpu #" + id + " node " + node + (write ? " write" : " read") + " page " + page);
                new VcpuAccess(id, node, page, write, offset, value).attempt();
                return;
            }
            int n = node;
            note("start engine #" + id + " node " + node + (write ? " write" : " read") + " page " + page);
            CompletableFuture<Void> done;
            if (write) {
                done = cluster.nodes[node].accessAsync(page, Access.WRITE, m -> {
                    byte[] b = DsmStressTestBytes.of(value);
                    m.write(DsmLayout.addressOf(page) + offset, b, 0, b.length);
                    System.arraycopy(b, 0, truth[(int) page], offset, b.length);
                    return null;
                });
            } else {
                done = cluster.nodes[node].accessAsync(page, Access.READ, m -> {
                    byte[] whole = new byte[DsmLayout.PAGE_SIZE];
                    m.read(DsmLayout.addressOf(page), whole, 0, whole.length);
                    if (!Arrays.equals(whole, truth[(int) page])) {
                        failures.add("read #" + id + " on node " + n + " of page " + page + " did not return the last write");
                    }
                    return null;
                });
            }
            done.whenComplete((v, e) -> {
                finished(n, e == null ? null : "access #" + id + " failed: " + e);
                note("done #" + id);
            });
        }

        void finished(int node, String failure) {
            if (failure != null) {
                failures.add(failure);
            }
            inFlightPerNode[node]--;
            completed++;
        }

        int offset() {
            return rnd.nextInt(4) * 8 + (rnd.nextInt(4) == 0 ? DsmLayout.PAGE_SIZE - 64 : 0);
        }

        /** A vCPU store; true if it landed (and so is now the page's last write), false if it faulted. */
        boolean store(int node, long page, int offset, long value) {
            byte[] b = DsmStressTestBytes.of(value);
            if (!cluster.memories[node].vcpuWrite(page, offset, b)) {
                return false;
            }
            System.arraycopy(b, 0, truth[(int) page], offset, b.length);
            return true;
        }

        /** A vCPU load of the whole page; true if the page was there (and then it must hold the last write). */
        boolean load(int node, long page, String what) {
            byte[] seen = cluster.memories[node].vcpuRead(page);
            if (seen == null) {
                return false;
            }
            if (!Arrays.equals(seen, truth[(int) page])) {
                failures.add(what + " on node " + node + " of page " + page + " did not see the last write");
            }
            return true;
        }

        /**
         * A vCPU of {@code node} that is running anyway stores into a page it holds writable, if any — the owner
         * writing on while the protocol works on its memory. Landing is fine; landing unseen is the bug.
         */
        void racingStore(int node) {
            long page = rnd.nextInt((int) cluster.pageCount());
            if (store(node, page, offset(), rnd.nextLong())) {
                vcpuStores++;
                note("node " + node + " vcpu stores into page " + page);
            }
        }

        /** Formatting a frame costs more than the step itself, so the trace keeps objects and formats only on failure. */
        void note(Object event) {
            trace[(int) (noted++ % TRACE)] = new Object[] {steps, event};
        }

        String failure(String what) {
            List<String> last = new ArrayList<>();
            for (long i = Math.max(0, noted - TRACE); i < noted; i++) {
                Object[] e = (Object[]) trace[(int) (i % TRACE)];
                last.add("step " + e[0] + ": " + describe(e[1]));
            }
            return "DSM stress failed, seed " + seed + ", step " + steps + ": " + what
                    + "\n  replay: ./mvnw -pl engine test -Dtest=DsmStressTest#" + (inOrder ? "randomSeedsKeepTheInvariantsWhenPairsAreInOrder"
                    : "randomSeedsKeepTheInvariants") + " -Ddsm.seed=" + seed
                    + "\n  last events:\n    " + String.join("\n    ", last);
        }

        static String describe(Object event) {
            if (!(event instanceof InProcessMesh.InFlight f)) {
                return String.valueOf(event);
            }
            String body = f.frame().getBodyCase() + " " + f.frame().toString().replace('\n', ' ');
            if (body.length() > 160) {
                body = body.substring(0, 160) + "...";
            }
            return "deliver " + f.frame().getFrom() + "->" + f.to() + " " + body;
        }
    }
}
