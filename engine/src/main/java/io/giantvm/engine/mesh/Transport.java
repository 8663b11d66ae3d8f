package io.giantvm.engine.mesh;

import io.giantvm.engine.mesh.v1.Frame;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

/**
 * Messages between the nodes of one VM. Frames of different sender/receiver pairs may overtake each other; within
 * one pair, {@link #deliversInOrder} says whether their order is kept.
 *
 * <p>Life cycle: {@link #setHandler} and {@link #addPeerDownListener} first, then {@link #start} (which returns
 * only when the whole mesh is up), then traffic, then {@link #close}. A frame sent to {@link #self()} is
 * delivered to the own handler.
 */
public interface Transport extends AutoCloseable {

    /** This node's id, 0..nodeCount-1. */
    int self();

    int nodeCount();

    /** Receives every frame that is not a reply to one of this node's requests. Called on transport threads. */
    void setHandler(FrameHandler handler);

    /** Called once per peer, with its node id, when the peer is lost (connection dropped, process died). */
    void addPeerDownListener(IntConsumer listener);

    /** Connects to every peer and waits at the start barrier; throws {@link MeshException} after {@code timeout}. */
    void start(Duration timeout) throws InterruptedException;

    /**
     * Whether frames to one receiver, sent one after another (each send returned before the next began), reach that
     * receiver's handler in the order sent and one at a time (the handler returns before it gets the next frame from
     * the same sender). The DSM uses this to leave out a confirm; without it, it assumes any order.
     */
    boolean deliversInOrder();

    /** Peers without an established connection, while the mesh forms (empty where the transport cannot tell). */
    default List<Integer> unconnectedPeers() {
        return List.of();
    }

    /** One-way send; the transport stamps {@code from}. Throws {@link PeerDownException} if {@code to} is down. */
    void send(int to, Frame.Builder frame);

    /**
     * Sends a request and completes with the reply; fails with {@link PeerDownException} if the peer goes down,
     * with {@link java.util.concurrent.TimeoutException} after {@code timeout}, with {@link RemoteFailureException}
     * if the peer answered with a failure.
     */
    CompletableFuture<Frame> request(int to, Frame.Builder frame, Duration timeout);

    /**
     * Runs {@code send} (which sends a request to {@code peer} or further on) and then reads {@code peer}'s frames on
     * the calling thread while {@code waiting} holds (at most {@code budgetNanos}), handing each to the handler as
     * the transport would: for a thread that can do nothing until the answer arrives, so that the answer needs no
     * other thread to wake up. The connection is taken over before {@code send} runs, so an answer that comes while
     * the caller is still sending (preempted by the thread its request woke) waits for it rather than wakes anyone.
     * Returns false, having only run {@code send}, when the transport cannot (another thread is reading the
     * connection, or the transport has no such thing): the answer then arrives the usual way. By default it cannot.
     */
    default boolean receiveWhile(int peer, Runnable send, BooleanSupplier waiting, long budgetNanos) {
        send.run();
        return false;
    }

    /** Answers {@code request} (which must carry an id). */
    void reply(Frame request, Frame.Builder reply);

    @Override
    void close();
}
