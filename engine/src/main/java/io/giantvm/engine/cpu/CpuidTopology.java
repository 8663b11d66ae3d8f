package io.giantvm.engine.cpu;

import io.giantvm.engine.kvm.CpuidEntry;

import java.util.ArrayList;
import java.util.List;

/**
 * CPUID's topology and cache leaves for APIC ids spaced a package per engine node ({@link ApicIdMap#spaced()}):
 * each node is a package of S = {@link ApicIdMap#idsPerPackage()} APIC ids, one core per vCPU, one thread per core,
 * private L1 and L2, and one L3 shared by the package. Whatever the host passed through is overwritten, so that
 * every way Linux 6.1 derives a CPU's package and last-level cache gives the engine node:
 * <ul>
 *   <li>Intel: leaf 4's L3 "threads sharing" (EAX[25:14] + 1 = S), LLC id = APIC id without its low log2(S) bits;
 *       package = APIC id >> log2(leaf 1 EBX[23:16] = S), or, when leaf 0xB/0x1F is valid, >> its core-level shift.</li>
 *   <li>AMD Zen2 and later: 0x8000001D's L3 sharing count (S), LLC id = APIC id >> log2(S); package = APIC id >>
 *       0x80000008 ECX ApicIdSize (log2 S); node (die) id = 0x8000001E ECX.</li>
 *   <li>AMD family 17h models 0-1Fh (QEMU's {@code EPYC}): LLC id = APIC id >> 3 whatever CPUID says, which
 *       S >= 8 keeps inside one node.</li>
 * </ul>
 * A leaf the host did not offer is not added (a guest only reads leaves up to the maximum the host reported, and
 * KVM returns 0x8000001E and the subleaf 0 of 0xB/0x1F zeroed rather than leaving them out).
 */
final class CpuidTopology {
    private static final int LEAF_FEATURES = 0x1;
    private static final int LEAF_CACHE = 0x4;
    private static final int LEAF_TOPOLOGY = 0xB;
    private static final int LEAF_TOPOLOGY_V2 = 0x1F;
    private static final int LEAF_AMD_SIZES = 0x8000_0008;
    private static final int LEAF_AMD_CACHE = 0x8000_001D;
    private static final int LEAF_AMD_TOPOLOGY = 0x8000_001E;
    /** KVM_CPUID_FLAG_SIGNIFCANT_INDEX: the entry answers one subleaf (ECX) only. */
    static final int SIGNIFICANT_INDEX = 1;
    /** Leaf 4 / 0x8000001D EAX: cache type (0 = no more caches), level, threads sharing - 1, cores per package - 1. */
    private static final int CACHE_TYPE_MASK = 0x1F;
    private static final int CACHE_LEVEL_SHIFT = 5;
    private static final int SHARING_SHIFT = 14;
    private static final int SHARING_MASK = 0xFFF << SHARING_SHIFT;
    private static final int CORES_SHIFT = 26;
    private static final int CORES_MASK = 0x3F << CORES_SHIFT;
    /** Leaf 0xB/0x1F ECX[15:8] level types. */
    private static final int LEVEL_INVALID = 0;
    private static final int LEVEL_SMT = 1;
    private static final int LEVEL_CORE = 2;
    /** 0x80000008 ECX: NC (threads in the package - 1) in [7:0], ApicIdSize in [15:12]. */
    private static final int AMD_NC_MASK = 0xFF;
    private static final int AMD_APIC_ID_SIZE_SHIFT = 12;
    private static final int AMD_APIC_ID_SIZE_MASK = 0xF << AMD_APIC_ID_SIZE_SHIFT;

    private CpuidTopology() {}

    /** {@code in} (already with leaf 1's APIC id and count) with the topology of the vCPU whose APIC id is {@code apicId}. */
    static List<CpuidEntry> packagePerNode(List<CpuidEntry> in, int apicId, ApicIdMap ids) {
        int s = ids.idsPerPackage();
        int shift = ids.packageShift();
        List<CpuidEntry> out = new ArrayList<>(in.size() + 2);
        boolean[] topologyWritten = new boolean[2];
        for (CpuidEntry e : in) {
            switch (e.function()) {
                case LEAF_FEATURES -> out.add(e);
                case LEAF_CACHE -> out.add(cache(e, s, true));
                case LEAF_AMD_CACHE -> out.add(cache(e, s, false));
                case LEAF_TOPOLOGY, LEAF_TOPOLOGY_V2 -> {
                    int which = e.function() == LEAF_TOPOLOGY ? 0 : 1;
                    if (!topologyWritten[which]) { // every subleaf the host gave is replaced by these three
                        topologyWritten[which] = true;
                        out.addAll(extendedTopology(e.function(), apicId, shift, ids.vcpusPerPackage()));
                    }
                }
                case LEAF_AMD_SIZES -> out.add(e.withEcx((e.ecx() & ~(AMD_NC_MASK | AMD_APIC_ID_SIZE_MASK))
                        | (ids.vcpusPerPackage() - 1) | shift << AMD_APIC_ID_SIZE_SHIFT));
                // EAX extended APIC id; EBX core id in the package, one thread per core; ECX node id, one node per package.
                case LEAF_AMD_TOPOLOGY -> out.add(e.withEax(apicId).withEbx(apicId & (s - 1)).withEcx(apicId >>> shift).withEdx(0));
                default -> out.add(e);
            }
        }
        return out;
    }

    /** L1 and L2 private to the vCPU, L3 shared by the package; leaf 4 also says the package has S core ids. */
    private static CpuidEntry cache(CpuidEntry e, int s, boolean withCores) {
        if ((e.eax() & CACHE_TYPE_MASK) == 0) {
            return e; // the end of the list
        }
        int level = (e.eax() >>> CACHE_LEVEL_SHIFT) & 0x7;
        int sharing = level >= 3 ? s - 1 : 0;
        int eax = (e.eax() & ~SHARING_MASK) | sharing << SHARING_SHIFT;
        if (withCores) {
            eax = (eax & ~CORES_MASK) | (Math.min(s, 64) - 1) << CORES_SHIFT;
        }
        return e.withEax(eax);
    }

    /**
     * Subleaf 0: the thread level (shift 0, one thread); subleaf 1: the core level (shift log2 S to the package id,
     * the node's vCPUs); subleaf 2: invalid, ending the list. EDX is the (x2)APIC id on every subleaf.
     */
    private static List<CpuidEntry> extendedTopology(int leaf, int apicId, int shift, int vcpusPerPackage) {
        return List.of(
                new CpuidEntry(leaf, 0, SIGNIFICANT_INDEX, 0, 1, LEVEL_SMT << 8, apicId),
                new CpuidEntry(leaf, 1, SIGNIFICANT_INDEX, shift, vcpusPerPackage, 1 | LEVEL_CORE << 8, apicId),
                new CpuidEntry(leaf, 2, SIGNIFICANT_INDEX, 0, 0, 2 | LEVEL_INVALID << 8, apicId));
    }
}
