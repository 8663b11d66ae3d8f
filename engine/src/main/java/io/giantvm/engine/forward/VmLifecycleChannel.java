package io.giantvm.engine.forward;

import io.giantvm.engine.mesh.FrameHandler;
import io.giantvm.engine.mesh.Transport;
import io.giantvm.engine.mesh.v1.Frame;
import io.giantvm.engine.mesh.v1.GuestExit;
import io.giantvm.engine.mesh.v1.NodeFailure;

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

    public void announceGuestExit(int status) {
        broadcast(Frame.newBuilder().setGuestExit(GuestExit.newBuilder().setStatus(status)));
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
            case GUEST_EXIT -> listener.guestExited(frame.getGuestExit().getStatus(), frame.getFrom());
            case NODE_FAILURE -> listener.nodeFailed(frame.getNodeFailure().getNode(), frame.getNodeFailure().getReason());
            default -> throw new IllegalStateException("VM lifecycle got a " + frame.getBodyCase() + " frame from node " + frame.getFrom());
        }
    }
}
