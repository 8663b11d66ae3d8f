package io.giantvm.engine.cpu;

import io.giantvm.engine.kvm.CpuidEntry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToIntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What CPUID tells each vCPU of a VM whose APIC ids are spaced a package per engine node, read back the ways Linux 6.1
 * reads it (arch/x86/kernel/cpu/cacheinfo.c, amd.c, intel.c, topology.c), on the CPUID two real hosts offer: every
 * last-level cache and every package holds exactly one node's vCPUs. And a flat VM's CPUID is what it always was.
 */
class CpuidTopologyTest {
    /** KVM_GET_SUPPORTED_CPUID on this build host (Intel, PVM), the topology-relevant leaves as printed. */
    static final List<CpuidEntry> INTEL = List.of(
            new CpuidEntry(0, 0, 0, 0x24, 0x756e6547, 0x6c65746e, 0x49656e69),
            new CpuidEntry(1, 0, 0, 0x000a0671, 0x00020800, 0x81202000, 0x0f8bfbff),
            new CpuidEntry(4, 0, 1, 0x04000121, 0x02c0003f, 0x0000003f, 0),
            new CpuidEntry(4, 1, 1, 0x04000122, 0x03c0003f, 0x0000003f, 0),
            new CpuidEntry(4, 2, 1, 0x04000143, 0x03c0003f, 0x000007ff, 0),
            new CpuidEntry(4, 3, 1, 0x04004163, 0x03c0003f, 0x00077fff, 0), // L3 shared by 2 threads
            new CpuidEntry(4, 4, 1, 0, 0, 0, 0),
            new CpuidEntry(0xB, 0, 1, 0, 0, 0, 0),
            new CpuidEntry(0x1F, 0, 1, 0, 0, 0, 0),
            new CpuidEntry(0x8000_0000, 0, 0, 0x80000008, 0, 0, 0),
            new CpuidEntry(0x8000_0008, 0, 0, 0x00003930, 0, 0, 0));

    /**
     * An AMD family 17h model 1 (QEMU's EPYC) as a KVM host offers it: TOPOEXT, 0x8000001D passed through with the
     * host's L3 shared by 8 threads, 0x8000001E zeroed by KVM, no leaf 0xB (max basic leaf 0xD).
     */
    static final List<CpuidEntry> EPYC = List.of(
            new CpuidEntry(0, 0, 0, 0xD, 0x68747541, 0x444d4163, 0x69746e65),
            new CpuidEntry(1, 0, 0, 0x00800F12, 0x00020800, 0xFED83203, 0x178BFBFF),
            new CpuidEntry(4, 0, 1, 0, 0, 0, 0),
            new CpuidEntry(0x8000_0000, 0, 0, 0x8000001F, 0x68747541, 0x444d4163, 0x69746e65),
            new CpuidEntry(0x8000_0001, 0, 0, 0x00800F12, 0, 0x00C003F3, 0x2FD3FBFF),
            new CpuidEntry(0x8000_0006, 0, 0, 0x48002200, 0x68004200, 0x02006140, 0x00808140),
            new CpuidEntry(0x8000_0008, 0, 0, 0x00003030, 0, 0x00001001, 0),
            new CpuidEntry(0x8000_001D, 0, 1, 0x00004121, 0x01C0003F, 0x0000003F, 0),
            new CpuidEntry(0x8000_001D, 1, 1, 0x00004122, 0x00C0003F, 0x000000FF, 0),
            new CpuidEntry(0x8000_001D, 2, 1, 0x00004143, 0x01C0003F, 0x000003FF, 2),
            new CpuidEntry(0x8000_001D, 3, 1, 0x0001C163, 0x03C0003F, 0x00001FFF, 1),
            new CpuidEntry(0x8000_001D, 4, 1, 0, 0, 0, 0),
            new CpuidEntry(0x8000_001E, 0, 0, 0, 0, 0, 0));

    private static CpuidEntry leaf(List<CpuidEntry> cpuid, int function, int index) {
        return cpuid.stream().filter(e -> e.function() == function && e.index() == index).findFirst().orElseThrow(
                () -> new AssertionError("no CPUID leaf 0x" + Integer.toHexString(function) + "." + index));
    }

    /** Linux's get_count_order: the bits needed to number n things. */
    private static int countOrder(int n) {
        return 32 - Integer.numberOfLeadingZeros(n - 1);
    }

    private static int initialApicId(List<CpuidEntry> c) {
        return leaf(c, 1, 0).ebx() >>> 24;
    }

    /** AMD family 17h models 0-1Fh: "Core complex ID is ApicId[3]", whatever CPUID says about sharing. */
    private static int llcAmdZen1(List<CpuidEntry> c) {
        return initialApicId(c) >> 3;
    }

    /** AMD Zen2 and later: the last 0x8000001D subleaf before the null one is the LLC; id = apicid >> order(sharing). */
    private static int llcAmdByLeaf(List<CpuidEntry> c) {
        int last = 0;
        while ((leaf(c, 0x8000_001D, last + 1).eax() & 0x1F) != 0) {
            last++;
        }
        int sharing = ((leaf(c, 0x8000_001D, last).eax() >>> 14) & 0xFFF) + 1;
        return initialApicId(c) >> countOrder(sharing);
    }

    /** Intel: the leaf 4 subleaf of level 3; id = apicid with its low order(sharing) bits cleared. */
    private static int llcIntel(List<CpuidEntry> c) {
        for (int i = 0; (leaf(c, 4, i).eax() & 0x1F) != 0; i++) {
            int eax = leaf(c, 4, i).eax();
            if (((eax >>> 5) & 7) == 3) {
                int sharing = ((eax >>> 14) & 0xFFF) + 1;
                return initialApicId(c) & ~((1 << countOrder(sharing)) - 1);
            }
        }
        throw new AssertionError("no L3 in leaf 4");
    }

    /** Groups the vCPUs by {@code id} and returns the set of engine nodes in each group. */
    private static List<Set<Integer>> nodesPerGroup(List<CpuidEntry> host, ApicIdMap map, int perNode, ToIntFunction<List<CpuidEntry>> id) {
        Map<Integer, Set<Integer>> groups = new HashMap<>();
        for (int k = 0; k < map.vcpus(); k++) {
            groups.computeIfAbsent(id.applyAsInt(CpuidPolicy.forVcpu(host, k, map)), x -> new TreeSet<>()).add(k / perNode);
        }
        return new ArrayList<>(groups.values());
    }

    @ParameterizedTest(name = "{0} nodes x {1} vCPUs")
    @CsvSource({"2, 1", "2, 2", "3, 3", "4, 8", "2, 9", "8, 4"})
    void eachVcpuReportsItsSpacedApicIdInEveryTopologyLeaf(int nodes, int perNode) {
        ApicIdMap map = ApicIdMap.packagePerNode(nodes, perNode);
        int stride = Math.max(8, 1 << countOrder(perNode));
        for (int k = 0; k < nodes * perNode; k++) {
            int expected = k / perNode * stride + k % perNode;
            List<CpuidEntry> intel = CpuidPolicy.forVcpu(INTEL, k, map);
            List<CpuidEntry> epyc = CpuidPolicy.forVcpu(EPYC, k, map);
            assertThat(initialApicId(intel)).as("leaf 1 EBX[31:24], vCPU %d", k).isEqualTo(expected);
            assertThat(initialApicId(epyc)).isEqualTo(expected);
            for (int leafB : new int[] {0xB, 0x1F}) {
                for (int sub = 0; sub < 3; sub++) {
                    assertThat(leaf(intel, leafB, sub).edx()).as("leaf 0x%x.%d EDX", leafB, sub).isEqualTo(expected);
                }
            }
            assertThat(leaf(epyc, 0x8000_001E, 0).eax()).as("0x8000001E EAX (extended APIC id)").isEqualTo(expected);
            assertThat(leaf(epyc, 0x8000_001E, 0).ecx() & 0xFF).as("0x8000001E ECX node id").isEqualTo(k / perNode);
            // every way Linux finds the package gives the engine node
            assertThat(expected >> countOrder((leaf(intel, 1, 0).ebx() >>> 16) & 0xFF)).as("package by leaf 1").isEqualTo(k / perNode);
            assertThat(expected >> (leaf(intel, 0xB, 1).eax() & 0x1F)).as("package by leaf 0xB").isEqualTo(k / perNode);
            assertThat(leaf(intel, 0xB, 1).ebx() & 0xFFFF).as("vCPUs at the core level").isEqualTo(perNode);
            assertThat(expected >> ((leaf(epyc, 0x8000_0008, 0).ecx() >>> 12) & 0xF)).as("package by ApicIdSize").isEqualTo(k / perNode);
            assertThat((leaf(epyc, 0x8000_0008, 0).ecx() & 0xFF) + 1).as("NC + 1").isEqualTo(perNode);
        }
    }

    @ParameterizedTest(name = "{0} nodes x {1} vCPUs")
    @CsvSource({"2, 1", "2, 2", "3, 3", "4, 8", "2, 9", "8, 4"})
    void everyLastLevelCacheHoldsExactlyOneNodesVcpus(int nodes, int perNode) {
        ApicIdMap map = ApicIdMap.packagePerNode(nodes, perNode);
        List<Set<Integer>> intel = nodesPerGroup(INTEL, map, perNode, CpuidTopologyTest::llcIntel);
        List<Set<Integer>> zen2 = nodesPerGroup(EPYC, map, perNode, CpuidTopologyTest::llcAmdByLeaf);
        List<Set<Integer>> zen1 = nodesPerGroup(EPYC, map, perNode, CpuidTopologyTest::llcAmdZen1);
        assertThat(intel).as("Intel leaf 4").hasSize(nodes).allSatisfy(s -> assertThat(s).hasSize(1));
        assertThat(zen2).as("AMD 0x8000001D").hasSize(nodes).allSatisfy(s -> assertThat(s).hasSize(1));
        // Family 17h models 0-1Fh cut at ApicId[3] regardless: a node of more than 8 vCPUs spans two LLCs, never two nodes.
        assertThat(zen1).as("AMD apicid >> 3").hasSize(nodes * ((perNode + 7) / 8)).allSatisfy(s -> assertThat(s).hasSize(1));
    }

    @Test
    void l1AndL2StayPrivateToTheVcpu() {
        List<CpuidEntry> intel = CpuidPolicy.forVcpu(INTEL, 1, ApicIdMap.packagePerNode(2, 4));
        List<CpuidEntry> epyc = CpuidPolicy.forVcpu(EPYC, 1, ApicIdMap.packagePerNode(2, 4));
        for (int sub = 0; sub < 3; sub++) {
            assertThat((leaf(intel, 4, sub).eax() >>> 14) & 0xFFF).as("leaf 4.%d sharing - 1", sub).isZero();
            assertThat((leaf(epyc, 0x8000_001D, sub).eax() >>> 14) & 0xFFF).as("0x8000001D.%d sharing - 1", sub).isZero();
        }
        assertThat(leaf(intel, 4, 3).eax() & 0x3FFF).as("L3's type and level kept").isEqualTo(0x163);
        assertThat(leaf(intel, 4, 4).eax()).as("the list still ends").isZero();
    }

    @Test
    void aFlatVmsCpuidIsTheHostsWithOnlyTheApicIdCountAndFeatureBitsChanged() {
        for (List<CpuidEntry> host : List.of(INTEL, EPYC)) {
            for (int k = 0; k < 3; k++) {
                List<CpuidEntry> out = CpuidPolicy.forVcpu(host, k, ApicIdMap.flat(3));
                assertThat(out).hasSameSizeAs(host);
                for (int i = 0; i < host.size(); i++) {
                    CpuidEntry in = host.get(i);
                    CpuidEntry got = out.get(i);
                    switch (in.function()) {
                        case 1 -> {
                            assertThat(got.ebx()).isEqualTo((in.ebx() & 0xFFFF) | 3 << 16 | k << 24);
                            assertThat(got.ecx()).isEqualTo((in.ecx() & ~(1 << 21 | 1 << 24)) | 1 << 31);
                            assertThat(got.edx()).isEqualTo(in.edx() | 1 << 9 | 1 << 28);
                            assertThat(got.eax()).isEqualTo(in.eax());
                        }
                        case 0xB, 0x1F -> assertThat(got).isEqualTo(in.withEdx(k));
                        default -> assertThat(got).as("leaf 0x%x.%d", in.function(), in.index()).isEqualTo(in);
                    }
                }
            }
        }
    }
}
