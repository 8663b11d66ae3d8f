package io.giantvm.engine.clock;

import io.giantvm.engine.kvm.VcpuFd;
import io.giantvm.engine.os.NativeException;
import io.giantvm.engine.vm.VmConfigurationException;
import java.util.List;

/** Makes this node's vCPUs run their TSC at the VM's rate, or says why they cannot. */
public final class TscRate {
    private TscRate() {}

    /**
     * Leaves the vCPUs alone when their rate is the VM's; otherwise asks KVM to scale them to it.
     *
     * @throws VmConfigurationException when KVM here cannot scale the TSC (no TSC scaling on this CPU)
     */
    public static void match(List<VcpuFd> vcpus, int node, long localKhz, long vmKhz) {
        if (localKhz == vmKhz) {
            return;
        }
        try {
            for (VcpuFd fd : vcpus) {
                fd.setTscKhz((int) vmKhz);
            }
        } catch (NativeException e) {
            throw new VmConfigurationException(("node %d's TSC runs at %d kHz and node %d's at %d kHz, and KVM here cannot "
                    + "scale it (%s): the vCPUs of one VM need one TSC rate; run its nodes on machines of one CPU model")
                    .formatted(node, localKhz, VmClockChannel.REFERENCE_NODE, vmKhz, e.getMessage()));
        }
    }
}
