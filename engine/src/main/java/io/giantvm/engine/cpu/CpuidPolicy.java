package io.giantvm.engine.cpu;

import io.giantvm.engine.kvm.CpuidEntry;

import java.util.ArrayList;
import java.util.List;

/**
 * What CPUID tells each vCPU: the host's supported set, with this vCPU's APIC id and the VM's
 * CPU count filled in, and the features our userspace xAPIC does not model turned off (x2APIC,
 * TSC-deadline, and KVM's paravirtual features that need its in-kernel APIC). When the APIC ids are spaced a
 * package per engine node ({@link ApicIdMap#spaced()}), {@link CpuidTopology} rewrites the topology and cache leaves
 * to match; a flat VM's CPUID is the host's topology as before.
 */
public final class CpuidPolicy {
    private static final int LEAF_FEATURES = 0x1;
    private static final int LEAF_TOPOLOGY = 0xB;
    private static final int LEAF_TOPOLOGY_V2 = 0x1F;
    /** KVM's paravirtual feature leaf (EAX: KVM_FEATURE_* bits, EDX: hints). */
    private static final int LEAF_KVM_FEATURES = 0x4000_0001;
    /**
     * The KVM features kept: kvmclock (both MSR sets and the stable bit) and "no I/O delay". KVM serves
     * those without an in-kernel irqchip. Every other one goes: PV IPIs, PV EOI, PV unhalt, async page
     * faults and PV TLB flush need KVM's in-kernel local APIC (a PV IPI would silently vanish, since the
     * APIC that must see it lives here in user space); steal time and the rest are not worth the risk.
     */
    static final int KVM_FEATURES_KEPT = 1 /* CLOCKSOURCE */ | 1 << 1 /* NOP_IO_DELAY */
            | 1 << 3 /* CLOCKSOURCE2 */ | 1 << 24 /* CLOCKSOURCE_STABLE_BIT */;
    private static final int ECX_X2APIC = 1 << 21;
    private static final int ECX_TSC_DEADLINE = 1 << 24;
    private static final int ECX_HYPERVISOR = 1 << 31;
    private static final int EDX_APIC = 1 << 9;
    private static final int EDX_HTT = 1 << 28;

    private CpuidPolicy() {}

    /** The CPUID of vCPU {@code vcpu} (global index) of a VM whose APIC ids are {@code apicIds}. */
    public static List<CpuidEntry> forVcpu(List<CpuidEntry> supported, int vcpu, ApicIdMap apicIds) {
        int apicId = apicIds.apicId(vcpu);
        // Leaf 1 EBX[23:16]: addressable logical processor ids in the package: all of a flat VM's, S when spaced.
        int vcpuCount = apicIds.spaced() ? apicIds.idsPerPackage() : apicIds.vcpus();
        List<CpuidEntry> out = new ArrayList<>(supported.size());
        for (CpuidEntry e : supported) {
            out.add(switch (e.function()) {
                case LEAF_FEATURES -> e
                        .withEbx((e.ebx() & 0x0000_FFFF) | (Math.min(vcpuCount, 255) << 16) | (apicId << 24))
                        // x2APIC and the TSC-deadline timer are not emulated: the guest must not use them.
                        .withEcx((e.ecx() & ~ECX_X2APIC & ~ECX_TSC_DEADLINE) | ECX_HYPERVISOR)
                        .withEdx(e.edx() | EDX_APIC | (vcpuCount > 1 ? EDX_HTT : 0));
                case LEAF_TOPOLOGY, LEAF_TOPOLOGY_V2 -> e.withEdx(apicId);
                case LEAF_KVM_FEATURES -> e.withEax(e.eax() & KVM_FEATURES_KEPT).withEdx(0); // EDX: no "realtime" hint
                default -> e;
            });
        }
        return apicIds.spaced() ? CpuidTopology.packagePerNode(out, apicId, apicIds) : out;
    }
}
