package io.giantvm.engine.forward;

import io.giantvm.engine.cpu.ApicIdMap;
import io.giantvm.engine.devices.apic.Ipi;
import io.giantvm.engine.devices.apic.RemoteIpiSink;
import io.giantvm.engine.mesh.Transport;
import io.giantvm.engine.mesh.v1.Frame;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntUnaryOperator;

/**
 * Sends IPIs that may have destinations off this node over the mesh. A physical unicast goes to the one node
 * that runs the vCPU with that APIC id (the VM's {@link ApicIdMap} says which vCPU); a broadcast or logical message
 * goes to every other node, whose router delivers it to whatever matches there. One-way: an IPI has no reply on real hardware either
 * (the ICR's delivery-status bit is always idle in our APIC). Sending to a dead node throws, and on the
 * sending vCPU's thread that stops this node, which is what a lost IPI (e.g. a SIPI) would call for anyway.
 */
public final class MeshIpiSink implements RemoteIpiSink {
    private final Transport transport;
    private final ApicIdMap apicIds;
    private final IntUnaryOperator nodeOfVcpu;
    private final LongAdder sent = new LongAdder();

    /**
     * @param apicIds    the VM's APIC ids; a unicast to an id no vCPU has reaches nobody
     * @param nodeOfVcpu the node running a vCPU (global index)
     */
    public MeshIpiSink(Transport transport, ApicIdMap apicIds, IntUnaryOperator nodeOfVcpu) {
        this.transport = transport;
        this.apicIds = apicIds;
        this.nodeOfVcpu = nodeOfVcpu;
    }

    /** IPI frames sent (a broadcast counts once per node it went to). */
    public long sent() {
        return sent.sum();
    }

    @Override
    public void forward(Ipi ipi) {
        Frame.Builder frame = Frame.newBuilder().setIpi(IpiCodec.encode(ipi));
        if (ipi.isPhysicalUnicast()) {
            int vcpu = apicIds.vcpu(ipi.destination());
            if (vcpu < 0) {
                return; // no such CPU in the VM: lost, as on hardware
            }
            int node = nodeOfVcpu.applyAsInt(vcpu);
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
