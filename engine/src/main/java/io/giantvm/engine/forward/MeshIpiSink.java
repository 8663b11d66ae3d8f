package io.giantvm.engine.forward;

import io.giantvm.engine.devices.apic.Ipi;
import io.giantvm.engine.devices.apic.RemoteIpiSink;
import io.giantvm.engine.mesh.Transport;
import io.giantvm.engine.mesh.v1.Frame;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntUnaryOperator;

/**
 * Sends IPIs that may have destinations off this node over the mesh. A physical unicast goes to the one node
 * that runs that vCPU (APIC id = global vCPU index); a broadcast or logical message goes to every other node,
 * whose router delivers it to whatever matches there. One-way: an IPI has no reply on real hardware either
 * (the ICR's delivery-status bit is always idle in our APIC). Sending to a dead node throws, and on the
 * sending vCPU's thread that stops this node, which is what a lost IPI (e.g. a SIPI) would call for anyway.
 */
public final class MeshIpiSink implements RemoteIpiSink {
    private final Transport transport;
    private final IntUnaryOperator nodeOfApicId;
    private final int apicIds;
    private final LongAdder sent = new LongAdder();

    /**
     * @param nodeOfApicId the node running the vCPU with that APIC id
     * @param apicIds      APIC ids in the VM (0..apicIds-1); a unicast to any other id reaches nobody
     */
    public MeshIpiSink(Transport transport, IntUnaryOperator nodeOfApicId, int apicIds) {
        this.transport = transport;
        this.nodeOfApicId = nodeOfApicId;
        this.apicIds = apicIds;
    }

    /** IPI frames sent (a broadcast counts once per node it went to). */
    public long sent() {
        return sent.sum();
    }

    @Override
    public void forward(Ipi ipi) {
        Frame.Builder frame = Frame.newBuilder().setIpi(IpiCodec.encode(ipi));
        if (ipi.isPhysicalUnicast()) {
            if (ipi.destination() >= apicIds) {
                return; // no such CPU in the VM: lost, as on hardware
            }
            int node = nodeOfApicId.applyAsInt(ipi.destination());
            if (node != transport.self()) {
                send(node, frame);
            }
            return;
        }
        for (int node = 0; node < transport.nodeCount(); node++) {
            if (node != transport.self()) {
                send(node, frame.clone());
            }
        }
    }

    private void send(int node, Frame.Builder frame) {
        transport.send(node, frame);
        sent.increment();
    }
}
