package io.giantvm.engine.forward;

import io.giantvm.engine.devices.apic.ApicRouter;
import io.giantvm.engine.mesh.FrameHandler;
import io.giantvm.engine.mesh.v1.Frame;
import java.util.concurrent.atomic.LongAdder;

/**
 * Delivers IPIs from other nodes to the APICs hosted here. Runs on the transport's receive thread: delivery
 * only sets IRR bits and kicks vCPUs, it never blocks. Frames from one node arrive in send order, so an
 * INIT followed by its SIPIs keeps its order, as the MP start-up sequence needs.
 */
public final class IpiReceiver implements FrameHandler {
    private final ApicRouter router;
    private final LongAdder received = new LongAdder();

    public IpiReceiver(ApicRouter router) {
        this.router = router;
    }

    public long received() {
        return received.sum();
    }

    @Override
    public void onFrame(Frame frame) {
        if (frame.getBodyCase() != Frame.BodyCase.IPI) {
            throw new IllegalStateException("IPI receiver got a " + frame.getBodyCase() + " frame from node " + frame.getFrom());
        }
        received.increment();
        router.deliverFromRemote(IpiCodec.decode(frame.getIpi()));
    }
}
