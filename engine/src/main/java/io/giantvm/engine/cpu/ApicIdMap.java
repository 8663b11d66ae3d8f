package io.giantvm.engine.cpu;

import io.giantvm.engine.numa.NumaTopology;
import io.giantvm.engine.numa.ProximityDomain;
import io.giantvm.engine.vm.VmConfigurationException;

import java.util.Optional;

/**
 * Which local APIC id each vCPU (global index) has: the one place that decides it. The MADT, the SRAT, CPUID, the
 * local APICs, the router's wake-ups and INIT/SIPI, and the mesh's choice of node for a physical IPI all ask this.
 *
 * <p><b>Flat</b> (one engine node, NUMA off, or a guest told nothing of NUMA): APIC id = vCPU index, as always.
 *
 * <p><b>A package per node</b> (the guest is told each engine node is a NUMA node): node n's vCPUs get APIC ids
 * from {@code n * S}, with S the node's share of the id space: the next power of two at or above its vCPU count,
 * at least {@value #MIN_PACKAGE_IDS}. Linux derives its last-level-cache id from APIC id bits ({@code apicid >> 3}
 * on AMD family 17h models up to 1Fh, {@code apicid >> log2(threads sharing the L3)} elsewhere, the sharing count
 * from CPUID leaf 4 or 0x8000001D), so with ids packed 0..n-1 it put vCPUs of different engine nodes into one LLC
 * and warned {@code llc-sibling ... is not on the same node}. Spaced, every node is a package with its own L3, as
 * on a multi-socket machine, and {@link CpuidTopology} tells the guest so.
 */
public final class ApicIdMap {
    /** At least ApicId[3] apart: AMD family 17h models 0-1Fh take the LLC id as {@code apicid >> 3} whatever CPUID says. */
    public static final int MIN_PACKAGE_IDS = 8;
    /** xAPIC ids are 8 bits and 0xFF is the broadcast id (the MADT's Local APIC entry has one byte too). */
    public static final int MAX_APIC_ID = 254;

    private final int vcpus;
    private final int vcpusPerPackage;
    private final int idsPerPackage;
    private final boolean spaced;

    private ApicIdMap(int vcpus, int vcpusPerPackage, int idsPerPackage, boolean spaced) {
        this.vcpus = vcpus;
        this.vcpusPerPackage = vcpusPerPackage;
        this.idsPerPackage = idsPerPackage;
        this.spaced = spaced;
    }

    /** APIC id = vCPU index. */
    public static ApicIdMap flat(int vcpus) {
        if (vcpus < 1 || vcpus - 1 > MAX_APIC_ID) {
            throw new VmConfigurationException(vcpus + " vCPUs: an xAPIC addresses 1.." + (MAX_APIC_ID + 1));
        }
        return new ApicIdMap(vcpus, vcpus, vcpus, false);
    }

    /** One package per node: node n's vCPUs have APIC ids {@code n * S ..}, S = {@link #idsPerPackage(int)}. */
    public static ApicIdMap packagePerNode(int nodes, int vcpusPerNode) {
        if (nodes < 1 || vcpusPerNode < 1) {
            throw new IllegalArgumentException("nodes " + nodes + " and vCPUs per node " + vcpusPerNode + " must be positive");
        }
        int stride = idsPerPackage(vcpusPerNode);
        long largest = (long) (nodes - 1) * stride + vcpusPerNode - 1;
        if (largest > MAX_APIC_ID) {
            throw new VmConfigurationException(("%d nodes x %d vCPUs: as NUMA nodes each needs %d APIC ids (a package with"
                    + " its own cache), so the largest would be %d, above the xAPIC's %d; use fewer nodes or NUMA off (--numa off, numa: false)")
                    .formatted(nodes, vcpusPerNode, stride, largest, MAX_APIC_ID));
        }
        return new ApicIdMap(nodes * vcpusPerNode, vcpusPerNode, stride, true);
    }

    /**
     * What a guest that sees {@code numa} (or nothing: flat) is given: a package per proximity domain. The domains
     * must hold equal, consecutive blocks of the {@code vcpus} vCPUs, as {@link NumaTopology#of} makes them.
     */
    public static ApicIdMap forGuest(Optional<NumaTopology> numa, int vcpus) {
        if (numa.isEmpty()) {
            return flat(vcpus);
        }
        NumaTopology t = numa.get();
        if (t.vcpus() != vcpus) {
            throw new IllegalArgumentException("the NUMA topology places " + t.vcpus() + " vCPUs, the machine has " + vcpus);
        }
        int perDomain = t.domains().getFirst().vcpus();
        for (int i = 0; i < t.domains().size(); i++) {
            ProximityDomain d = t.domains().get(i);
            if (d.vcpus() != perDomain || d.firstVcpu() != i * perDomain) {
                throw new IllegalArgumentException("proximity domain " + d.domain() + " holds vCPUs " + d.firstVcpu() + ".."
                        + (d.firstVcpu() + d.vcpus() - 1) + ", not block " + i + " of " + perDomain);
            }
        }
        return packagePerNode(t.domains().size(), perDomain);
    }

    /** The APIC ids a package of {@code vcpusPerPackage} vCPUs spans: a power of two, at least {@value #MIN_PACKAGE_IDS}. */
    public static int idsPerPackage(int vcpusPerPackage) {
        return Math.max(MIN_PACKAGE_IDS, Integer.highestOneBit(vcpusPerPackage - 1) << 1);
    }

    public int vcpus() {
        return vcpus;
    }

    /** Whether ids are spaced a package per node; if not, APIC id = vCPU index and CPUID's topology is the host's. */
    public boolean spaced() {
        return spaced;
    }

    /** vCPUs in one package (one engine node's, when spaced). */
    public int vcpusPerPackage() {
        return vcpusPerPackage;
    }

    /** APIC ids one package spans (S); a power of two when spaced. */
    public int idsPerPackage() {
        return idsPerPackage;
    }

    /** log2 of {@link #idsPerPackage()}: how far right an APIC id shifts to give its package (spaced only). */
    public int packageShift() {
        return Integer.numberOfTrailingZeros(idsPerPackage);
    }

    public int apicId(int vcpu) {
        if (vcpu < 0 || vcpu >= vcpus) {
            throw new IllegalArgumentException("vCPU " + vcpu + " is not in 0.." + (vcpus - 1));
        }
        return vcpu / vcpusPerPackage * idsPerPackage + vcpu % vcpusPerPackage;
    }

    /** The vCPU with {@code apicId}, or -1 when no vCPU has it (a gap between packages, or past the last). */
    public int vcpu(int apicId) {
        if (apicId < 0) {
            return -1;
        }
        int pkg = apicId / idsPerPackage;
        int local = apicId % idsPerPackage;
        int vcpu = pkg * vcpusPerPackage + local;
        return local < vcpusPerPackage && vcpu < vcpus ? vcpu : -1;
    }

    /** The package (engine node, when spaced) of {@code vcpu}. */
    public int packageOf(int vcpu) {
        return apicId(vcpu) / idsPerPackage;
    }

    public int maxApicId() {
        return apicId(vcpus - 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApicIdMap m && m.vcpus == vcpus && m.vcpusPerPackage == vcpusPerPackage
                && m.idsPerPackage == idsPerPackage && m.spaced == spaced;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(vcpus, vcpusPerPackage, idsPerPackage, spaced);
    }

    @Override
    public String toString() {
        return spaced ? "APIC ids: node n's " + vcpusPerPackage + " vCPU(s) from n x " + idsPerPackage
                + " (" + vcpus / vcpusPerPackage + " packages, an L3 each)" : "APIC ids: the vCPU indexes 0.." + (vcpus - 1);
    }
}
