package io.giantvm.engine.forward;

import io.giantvm.engine.mesh.FrameHandler;
import io.giantvm.engine.mesh.Transport;
import io.giantvm.engine.mesh.v1.Frame;
import io.giantvm.engine.mesh.v1.GuestExit;
import io.giantvm.engine.mesh.v1.NodeFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How the end of the VM reaches every node: the I/O node announces the guest's exit status, and a node that
 * cannot go on announces its failure. Announcing to a node that is already down is skipped: it stops anyway.
 */
public final class VmLifecycleChannel implements FrameHandler {

    /** What a node does when it hears the VM ended. Called on a transport receive thread: must not block. */
    public interface Listener {
        void guestExited(int status, int announcedBy);

        void nodeFailed(int node, String reason);
    }

    private final Transport transport;
    private final Listener listener;

    public VmLifecycleChannel(Transport transport, Listener listener) {
        this.transport = transport;
        this.listener = listener;
    }

    /**
     * Tells every other node the guest exited and waits (at most {@code bound}) until each has acknowledged.
     * The I/O node closes its connections only after this, so no node sees a peer vanish before it has heard
     * that the VM ended (which it would otherwise report as a lost node). Returns the nodes that did not answer.
     */
    public List<Integer> announceGuestExit(int status, Duration bound) throws InterruptedException {
        Map<Integer, CompletableFuture<Frame>> acks = new TreeMap<>();
        for (int node = 0; node < transport.nodeCount(); node++) {
            if (node != transport.self()) {
                acks.put(node, transport.request(node, Frame.newBuilder().setGuestExit(GuestExit.newBuilder().setStatus(status)), bound));
            }
        }
        List<Integer> silent = new ArrayList<>();
        for (Map.Entry<Integer, CompletableFuture<Frame>> ack : acks.entrySet()) {
            try {
                ack.getValue().get(bound.toMillis() + 100, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                silent.add(ack.getKey());
            }
        }
        return silent;
    }

    public void announceFailure(String reason) {
        broadcast(Frame.newBuilder().setNodeFailure(NodeFailure.newBuilder().setNode(transport.self()).setReason(reason)));
    }

    private void broadcast(Frame.Builder frame) {
        for (int node = 0; node < transport.nodeCount(); node++) {
            if (node == transport.self()) {
                continue;
            }
            try {
                transport.send(node, frame.clone());
            } catch (RuntimeException e) {
                // that peer is down or going: it stops on its own, and its loss is reported separately
            }
        }
    }

    @Override
    public void onFrame(Frame frame) {
        switch (frame.getBodyCase()) {
            case GUEST_EXIT -> {
                listener.guestExited(frame.getGuestExit().getStatus(), frame.getFrom());
                if (frame.getId() != 0) {
                    transport.reply(frame, Frame.newBuilder().setGuestExit(frame.getGuestExit()));
                }
            }
            case NODE_FAILURE -> listener.nodeFailed(frame.getNodeFailure().getNode(), frame.getNodeFailure().getReason());
            default -> throw new IllegalStateException("VM lifecycle got a " + frame.getBodyCase() + " frame from node " + frame.getFrom());
        }
    }
}
