package io.giantvm.engine.mesh;

import io.giantvm.engine.mesh.v1.Frame;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * What every transport shares: request ids, reply matching, handler and peer-down bookkeeping.
 * Implementations only move bytes and call {@link #deliver} and {@link #peerDown}.
 */
public abstract class TransportCore implements Transport {
    private final int self;
    private final int nodeCount;
    private volatile FrameHandler handler;
    private final List<IntConsumer> peerDownListeners = new CopyOnWriteArrayList<>();
    private final AtomicIntegerArray down;
    /** Starts at 1 because 0 means "no id" on the wire. 2^64 ids never wrap in a process lifetime. */
    private final AtomicLong nextRequestId = new AtomicLong(1);
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();

    private record Pending(int to, CompletableFuture<Frame> future, long deadline, Duration timeout) {}

    /**
     * Request deadlines are checked by one sweeper thread every {@link MeshLayout#TIMEOUT_SWEEP}, not by a timer per
     * request: CompletableFuture.orTimeout wakes a scheduler thread on every request and again on every reply,
     * which on a busy 2-core machine cost several hundred microseconds per round trip.
     */
    private volatile Thread sweeper;
    private volatile boolean stopped;

    protected TransportCore(int self, int nodeCount) {
        if (nodeCount < 1 || self < 0 || self >= nodeCount) {
            throw new IllegalArgumentException("node " + self + " is not in 0.." + (nodeCount - 1));
        }
        this.self = self;
        this.nodeCount = nodeCount;
        this.down = new AtomicIntegerArray(nodeCount);
    }

    @Override
    public final int self() {
        return self;
    }

    @Override
    public final int nodeCount() {
        return nodeCount;
    }

    @Override
    public final void setHandler(FrameHandler handler) {
        this.handler = handler;
    }

    @Override
    public final void addPeerDownListener(IntConsumer listener) {
        peerDownListeners.add(listener);
    }

    public final boolean isDown(int node) {
        return down.get(node) != 0;
    }

    /** Moves a stamped frame to {@code to}; {@code to != self}. */
    protected abstract void transmit(int to, Frame frame);

    @Override
    public final void send(int to, Frame.Builder frame) {
        route(to, frame.setFrom(self).build());
    }

    @Override
    public final CompletableFuture<Frame> request(int to, Frame.Builder frame, Duration timeout) {
        long id = nextRequestId.getAndIncrement();
        CompletableFuture<Frame> future = new CompletableFuture<>();
        pending.put(id, new Pending(to, future, System.nanoTime() + timeout.toNanos(), timeout));
        future.whenComplete((r, e) -> pending.remove(id));
        startSweeper();
        try {
            route(to, frame.setFrom(self).setId(id).build());
        } catch (RuntimeException e) {
            future.completeExceptionally(e);
        }
        return future;
    }

    private void startSweeper() {
        if (sweeper != null) {
            return;
        }
        synchronized (pending) {
            if (sweeper == null && !stopped) {
                sweeper = Thread.ofPlatform().name("mesh-timeouts-" + self).daemon().start(this::sweep);
            }
        }
    }

    private void sweep() {
        while (!stopped) {
            try {
                Thread.sleep(MeshLayout.TIMEOUT_SWEEP);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Pending p : pending.values()) {
                if (now - p.deadline > 0) {
                    p.future.completeExceptionally(new TimeoutException("no reply from node " + p.to + " within " + p.timeout));
                }
            }
        }
    }

    /** Implementations call this from close(): ends the timeout sweeper. */
    protected final void stopTimeouts() {
        stopped = true;
        Thread t = sweeper;
        if (t != null) {
            t.interrupt();
        }
    }

    @Override
    public final void reply(Frame request, Frame.Builder reply) {
        if (request.getId() == 0) {
            throw new IllegalArgumentException("frame from node " + request.getFrom() + " is not a request");
        }
        route(request.getFrom(), reply.setFrom(self).setReplyTo(request.getId()));
    }

    private void route(int to, Frame.Builder frame) {
        route(to, frame.build());
    }

    private void route(int to, Frame frame) {
        if (to < 0 || to >= nodeCount) {
            throw new IllegalArgumentException("no node " + to + " in a mesh of " + nodeCount);
        }
        if (to == self) {
            loopback(frame);
            return;
        }
        if (isDown(to)) {
            throw new PeerDownException(to, "cannot send " + frame.getBodyCase());
        }
        transmit(to, frame);
    }

    /** A frame to the own node: delivered on the calling thread unless an implementation queues it. */
    protected void loopback(Frame frame) {
        deliver(frame);
    }

    /** Hands an incoming frame to the waiting request or to the handler. */
    protected final void deliver(Frame frame) {
        deliver(frame, null);
    }

    /** {@link #deliver(Frame)} for a frame whose page travelled beside it ({@link FrameHandler#onFrame(Frame, ByteBuffer)}). */
    protected final void deliver(Frame frame, ByteBuffer page) {
        if (frame.getReplyTo() != 0) {
            Pending p = pending.get(frame.getReplyTo());
            if (p == null) {
                return; // the request timed out or its peer went down; its caller already has an error
            }
            if (frame.getBodyCase() == Frame.BodyCase.FAILURE) {
                p.future.completeExceptionally(new RemoteFailureException(frame.getFrom(), frame.getFailure().getMessage()));
            } else {
                p.future.complete(frame);
            }
            return;
        }
        FrameHandler h = handler;
        if (h == null) {
            throw new IllegalStateException("node " + self + " received " + frame.getBodyCase() + " before a handler was set");
        }
        h.onFrame(frame, page);
    }

    /** Records {@code node} as lost, fails requests waiting on it and tells the listeners; idempotent. */
    protected final void peerDown(int node, String why) {
        if (!down.compareAndSet(node, 0, 1)) {
            return;
        }
        PeerDownException e = new PeerDownException(node, why);
        pending.values().stream().filter(p -> p.to == node).forEach(p -> p.future.completeExceptionally(e));
        for (IntConsumer listener : peerDownListeners) {
            listener.accept(node);
        }
    }
}
