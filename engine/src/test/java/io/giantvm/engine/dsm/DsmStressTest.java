package io.giantvm.engine.dsm;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
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
 * <p>{@code -Ddsm.seed=N} replays one seed; {@code -Ddsm.seeds=N} runs seeds 1..N (default below).
 */
class DsmStressTest {
    private static final int DEFAULT_SEEDS = 250;
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
        for (long seed = first; seed < first + count; seed++) {
            Run run = new Run(seed, inOrder);
            run.execute();
            steps += run.steps;
            ops += run.completed;
        }
        System.out.printf("dsm stress%s: %d seeds from %d, %d steps, %d accesses, %.1f s%n", inOrder ? " (in order)" : "",
                count, first, steps, ops, (System.nanoTime() - t0) / 1e9);
    }

    /** One seed's run. */
    private static final class Run {
        final long seed;
        final boolean inOrder;
        final Random rnd;
        final SimCluster cluster;
        final byte[][] truth;
        final int[] inFlightPerNode;
        final int maxInFlightPerNode;
        final int targetOps;
        final Deque<String> trace = new ArrayDeque<>();
        final List<String> failures = new ArrayList<>();
        int started;
        int completed;
        long steps;

        Run(long seed, boolean inOrder) {
            this.seed = seed;
            this.inOrder = inOrder;
            this.rnd = new Random(seed);
            int nodes = 2 + rnd.nextInt(4);
            long pagesPerNode = 1 + rnd.nextInt(2);
            this.cluster = inOrder ? SimCluster.manualInOrder(nodes, pagesPerNode) : SimCluster.manual(nodes, pagesPerNode);
            this.truth = new byte[(int) cluster.pageCount()][DsmLayout.PAGE_SIZE];
            this.inFlightPerNode = new int[nodes];
            this.maxInFlightPerNode = 1 + rnd.nextInt(3);
            this.targetOps = 150 + rnd.nextInt(250);
        }

        void execute() {
            try (cluster) {
                long maxSteps = 200L * targetOps;
                while (started < targetOps || completed < started || cluster.mesh.inFlight() > 0) {
                    if (++steps > maxSteps) {
                        fail(failure("no end after " + maxSteps + " steps: livelock"));
                    }
                    boolean canStart = started < targetOps && hasCapacity();
                    int frames = cluster.mesh.inFlight();
                    if (canStart && (frames == 0 || rnd.nextInt(3) == 0)) {
                        startAccess();
                    } else if (frames > 0) {
                        int index = cluster.mesh.deliveryIndex(rnd.nextInt(frames));
                        note("deliver " + describe(cluster.mesh.inFlightFrames().get(index)));
                        try {
                            cluster.mesh.deliver(index);
                        } catch (RuntimeException e) {
                            throw new AssertionError(failure("protocol error: " + e), e);
                        }
                    } else {
                        fail(failure("deadlock: " + (started - completed) + " accesses wait and no frame is in flight"));
                    }
                    if (!failures.isEmpty()) {
                        fail(failure(failures.getFirst()));
                    }
                    String violation = InvariantChecker.check(cluster, truth);
                    if (violation != null) {
                        fail(failure(violation));
                    }
                }
                for (DsmNode n : cluster.nodes) {
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
            int offset = rnd.nextInt(4) * 8 + (rnd.nextInt(4) == 0 ? DsmLayout.PAGE_SIZE - 64 : 0);
            long value = rnd.nextLong();
            int id = started++;
            inFlightPerNode[node]++;
            int n = node;
            note("start #" + id + " node " + node + (write ? " write" : " read") + " page " + page);
            CompletableFuture<Void> done;
            if (write) {
                done = cluster.nodes[node].accessAsync(page, Access.WRITE, m -> {
                    byte[] b = longBytes(value);
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
                if (e != null) {
                    failures.add("access #" + id + " failed: " + e);
                }
                inFlightPerNode[n]--;
                completed++;
                note("done #" + id);
            });
        }

        static byte[] longBytes(long v) {
            byte[] b = new byte[8];
            for (int i = 0; i < 8; i++) {
                b[i] = (byte) (v >>> (8 * i));
            }
            return b;
        }

        static String describe(io.giantvm.engine.mesh.InProcessMesh.InFlight f) {
            String body = f.frame().getBodyCase() + " " + f.frame().toString().replace('\n', ' ');
            if (body.length() > 160) {
                body = body.substring(0, 160) + "...";
            }
            return f.frame().getFrom() + "->" + f.to() + " " + body;
        }

        void note(String event) {
            trace.addLast("step " + steps + ": " + event);
            if (trace.size() > TRACE) {
                trace.removeFirst();
            }
        }

        String failure(String what) {
            return "DSM stress failed, seed " + seed + ", step " + steps + ": " + what
                    + "\n  replay: ./mvnw -pl engine test -Dtest=DsmStressTest#" + (inOrder ? "randomSeedsKeepTheInvariantsWhenPairsAreInOrder"
                    : "randomSeedsKeepTheInvariants") + " -Ddsm.seed=" + seed
                    + "\n  last events:\n    " + String.join("\n    ", trace);
        }
    }
}
