package io.giantvm.engine.dsm;

import io.giantvm.engine.mesh.MeshException;
import io.giantvm.engine.mesh.Transport;
import io.giantvm.engine.mesh.v1.Frame;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Frames the DSM produced under its protocol lock, sent once the lock is released, to each destination in the
 * order they were posted.
 *
 * <p>Why the order is kept across threads: on a transport that delivers in order, the home does not wait for a
 * grantee's confirm of a grant it sent itself, because any later frame it sends that node about the page arrives
 * after the grant. Two threads flushing separate outboxes could put those two frames on the wire the other way
 * round. So each destination has one queue, filled in lock order, and only one thread at a time sends from it;
 * a thread that finds another sending to that destination leaves its frames to that thread instead of waiting,
 * so no thread ever waits for another's send (a full socket holds up only the thread writing to it).
 */
final class Outbox {
    private final Transport transport;
    private final Queue<Frame.Builder>[] queues;
    private final AtomicBoolean[] sending;

    @SuppressWarnings("unchecked")
    Outbox(Transport transport) {
        this.transport = transport;
        int n = transport.nodeCount();
        this.queues = new Queue[n];
        this.sending = new AtomicBoolean[n];
        for (int i = 0; i < n; i++) {
            queues[i] = new ConcurrentLinkedQueue<>();
            sending[i] = new AtomicBoolean();
        }
    }

    /** Called under the protocol lock, so posts are ordered as the protocol made them. */
    void post(int to, Frame.Builder frame) {
        queues[to].add(frame);
    }

    /** Called without the protocol lock. Frames to this node itself never come here ({@link DsmNode#post}). */
    void flush() {
        for (int to = 0; to < queues.length; to++) {
            Queue<Frame.Builder> queue = queues[to];
            AtomicBoolean busy = sending[to];
            while (!queue.isEmpty() && busy.compareAndSet(false, true)) {
                try {
                    for (Frame.Builder f = queue.poll(); f != null; f = queue.poll()) {
                        send(to, f);
                    }
                } finally {
                    busy.set(false);
                }
            }
        }
    }

    private void send(int to, Frame.Builder frame) {
        try {
            transport.send(to, frame);
        } catch (MeshException e) {
            // The peer-down listener stops the DSM and fails every waiting fault with the node's name.
        }
    }
}
