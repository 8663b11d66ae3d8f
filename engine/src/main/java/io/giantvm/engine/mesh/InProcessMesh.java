package io.giantvm.engine.mesh;

import io.giantvm.engine.mesh.v1.Frame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * N transports in one JVM, for tests. Delivery modes:
 * <ul>
 *   <li>{@link #manual}: frames wait in one pool until the test delivers them ({@link #deliver}), in any
 *       order it likes — the DSM stress test uses this to explore interleavings from a seed, on one thread.</li>
 *   <li>{@link #manualInOrder}: the same, except that within one sender/receiver pair the oldest frame always goes
 *       first, as on TCP; the transports then report {@link Transport#deliversInOrder}.</li>
 *   <li>{@link #threaded} (in order as well): each node has a receive thread ({@code mesh-rx-<node>}); with a
 *       seed, each frame is held back a random time so frames of different sender/receiver pairs overtake each
 *       other, while one pair stays first-in first-out as on TCP.</li>
 * </ul>
 */
public final class InProcessMesh implements AutoCloseable {
    /** A frame on its way. */
    public record InFlight(int to, Frame frame) {}

    private final Endpoint[] endpoints;
    private final boolean manual;
    private final boolean inOrder;
    private final Random delayRandom;
    private final long maxDelayNanos;
    private final CountDownLatch started;
    private final Object lock = new Object();
    private final List<InFlight> pool = new ArrayList<>();
    private final Thread[] receivers;
    private final List<PriorityQueue<Timed>> inboxes = new ArrayList<>();
    private final long[][] lastDuePerPair;
    private long arrivalCounter;
    private volatile boolean closed;

    private record Timed(long due, long seq, Frame frame) {}

    private InProcessMesh(int nodeCount, boolean manual, boolean inOrder, Long seed, Duration maxDelay) {
        this.manual = manual;
        this.inOrder = inOrder;
        this.delayRandom = seed == null ? null : new Random(seed);
        this.maxDelayNanos = maxDelay.toNanos();
        this.started = new CountDownLatch(nodeCount);
        this.endpoints = new Endpoint[nodeCount];
        this.lastDuePerPair = new long[nodeCount][nodeCount];
        this.receivers = new Thread[manual ? 0 : nodeCount];
        for (int i = 0; i < nodeCount; i++) {
            endpoints[i] = new Endpoint(i, nodeCount);
            inboxes.add(new PriorityQueue<>((a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq)));
        }
        for (int i = 0; i < receivers.length; i++) {
            int node = i;
            receivers[i] = Thread.ofPlatform().name("mesh-rx-" + i).daemon().start(() -> receiveLoop(node));
        }
    }

    /** Frames are delivered only when the test calls {@link #deliver}. */
    public static InProcessMesh manual(int nodeCount) {
        return new InProcessMesh(nodeCount, true, false, null, Duration.ZERO);
    }

    /** Like {@link #manual}, but {@link #deliver} keeps each sender/receiver pair first-in first-out. */
    public static InProcessMesh manualInOrder(int nodeCount) {
        return new InProcessMesh(nodeCount, true, true, null, Duration.ZERO);
    }

    /** Frames are delivered by one thread per node; {@code seed} null means no delay and no reordering. */
    public static InProcessMesh threaded(int nodeCount, Long seed, Duration maxDelay) {
        return new InProcessMesh(nodeCount, false, true, seed, maxDelay);
    }

    public Transport transport(int node) {
        return endpoints[node];
    }

    public int nodeCount() {
        return endpoints.length;
    }

    /** Manual mode: frames waiting for delivery. */
    public int inFlight() {
        synchronized (lock) {
            return pool.size();
        }
    }

    /** Manual mode: a snapshot of the frames waiting, in send order. */
    public List<InFlight> inFlightFrames() {
        synchronized (lock) {
            return List.copyOf(pool);
        }
    }

    /**
     * Manual mode: which waiting frame {@link #deliver}{@code (index)} delivers — the {@code index}-th, or in order
     * the oldest one waiting between the same sender and receiver.
     */
    public int deliveryIndex(int index) {
        synchronized (lock) {
            if (!inOrder) {
                return index;
            }
            InFlight chosen = pool.get(index);
            for (int i = 0; i < index; i++) {
                InFlight older = pool.get(i);
                if (older.to == chosen.to && older.frame.getFrom() == chosen.frame.getFrom()) {
                    return i;
                }
            }
            return index;
        }
    }

    /** Manual mode: delivers the waiting frame {@link #deliveryIndex}{@code (index)} names, on the calling thread. */
    public void deliver(int index) {
        InFlight f;
        synchronized (lock) {
            f = pool.remove(deliveryIndex(index));
        }
        endpoints[f.to].deliverFrame(f.frame);
    }

    /** Simulates the death of {@code node}: its frames vanish and every other node is told it is down. */
    public void kill(int node) {
        synchronized (lock) {
            pool.removeIf(f -> f.to == node || f.frame.getFrom() == node);
            inboxes.get(node).clear();
            endpoints[node].dead = true;
            lock.notifyAll();
        }
        for (Endpoint e : endpoints) {
            if (e.self() != node && !e.dead) {
                e.markDown(node, "killed by the test");
            }
        }
    }

    private void enqueue(int to, Frame frame) {
        synchronized (lock) {
            if (closed || endpoints[to].dead) {
                return;
            }
            if (manual) {
                pool.add(new InFlight(to, frame));
                return;
            }
            long now = System.nanoTime();
            long due = now;
            if (delayRandom != null && maxDelayNanos > 0) {
                due = now + (long) (delayRandom.nextDouble() * maxDelayNanos);
                // One pair keeps its order, as on one TCP connection.
                due = Math.max(due, lastDuePerPair[frame.getFrom()][to]);
                lastDuePerPair[frame.getFrom()][to] = due;
            }
            inboxes.get(to).add(new Timed(due, arrivalCounter++, frame));
            lock.notifyAll();
        }
    }

    private void receiveLoop(int node) {
        while (true) {
            Frame next;
            synchronized (lock) {
                while (true) {
                    if (closed || endpoints[node].dead) {
                        return;
                    }
                    Timed head = inboxes.get(node).peek();
                    long wait = head == null ? TimeUnit.MILLISECONDS.toNanos(100) : head.due - System.nanoTime();
                    if (head != null && wait <= 0) {
                        next = inboxes.get(node).poll().frame;
                        break;
                    }
                    try {
                        TimeUnit.NANOSECONDS.timedWait(lock, wait);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            try {
                endpoints[node].deliverFrame(next);
            } catch (RuntimeException e) {
                // A handler bug must not silently kill the receive thread of a test mesh.
                Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
            }
        }
    }

    @Override
    public void close() {
        for (Endpoint e : endpoints) {
            e.close();
        }
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        MeshThreads.joinAll(List.of(receivers), Duration.ofSeconds(5));
    }

    private final class Endpoint extends TransportCore {
        volatile boolean dead;

        Endpoint(int self, int nodeCount) {
            super(self, nodeCount);
        }

        @Override
        public boolean deliversInOrder() {
            return inOrder;
        }

        void deliverFrame(Frame frame) {
            if (!dead) {
                deliver(frame);
            }
        }

        void markDown(int node, String why) {
            peerDown(node, why);
        }

        @Override
        protected void transmit(int to, Frame frame) {
            if (dead) {
                throw new PeerDownException(self(), "this node was killed");
            }
            enqueue(to, frame);
        }

        @Override
        protected void loopback(Frame frame) {
            enqueue(self(), frame); // queued like any other frame, so tests explore its interleavings too
        }

        @Override
        public void start(Duration timeout) throws InterruptedException {
            started.countDown();
            if (!started.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new MeshException("start barrier: only " + (endpoints.length - started.getCount()) + " of "
                        + endpoints.length + " in-process nodes started within " + timeout);
            }
        }

        @Override
        public void close() {
            stopTimeouts(); // the mesh owns the receive threads
        }
    }
}
