package io.giantvm.engine.cpu;

import io.giantvm.engine.kvm.CpuidEntry;

import java.util.ArrayList;
import java.util.List;

/**
 * What CPUID tells each vCPU: the host's supported set, with this vCPU's APIC id and the VM's
 * CPU count filled in, and the features our userspace xAPIC does not model turned off.
 */
public final class CpuidPolicy {
    private static final int LEAF_FEATURES = 0x1;
    private static final int LEAF_TOPOLOGY = 0xB;
    private static final int LEAF_TOPOLOGY_V2 = 0x1F;
    private static final int ECX_X2APIC = 1 << 21;
    private static final int ECX_TSC_DEADLINE = 1 << 24;
    private static final int ECX_HYPERVISOR = 1 << 31;
    private static final int EDX_APIC = 1 << 9;
    private static final int EDX_HTT = 1 << 28;

    private CpuidPolicy() {}

    public static List<CpuidEntry> forVcpu(List<CpuidEntry> supported, int apicId, int vcpuCount) {
        List<CpuidEntry> out = new ArrayList<>(supported.size());
        for (CpuidEntry e : supported) {
            out.add(switch (e.function()) {
                case LEAF_FEATURES -> e
                        .withEbx((e.ebx() & 0x0000_FFFF) | (Math.min(vcpuCount, 255) << 16) | (apicId << 24))
                        // x2APIC and the TSC-deadline timer are not emulated: the guest must not use them.
                        .withEcx((e.ecx() & ~ECX_X2APIC & ~ECX_TSC_DEADLINE) | ECX_HYPERVISOR)
                        .withEdx(e.edx() | EDX_APIC | (vcpuCount > 1 ? EDX_HTT : 0));
                case LEAF_TOPOLOGY, LEAF_TOPOLOGY_V2 -> e.withEdx(apicId);
                default -> e;
            });
        }
        return out;
    }
}
