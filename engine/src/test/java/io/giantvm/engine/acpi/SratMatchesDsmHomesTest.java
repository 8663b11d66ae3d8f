package io.giantvm.engine.acpi;

import io.giantvm.engine.config.VmDescription;
import io.giantvm.engine.config.VmDescriptionWriter;
import io.giantvm.engine.dsm.DsmLayout;
import io.giantvm.engine.dsm.HomeMap;
import io.giantvm.engine.memory.GuestLayout;
import io.giantvm.engine.numa.NumaTopology;
import io.giantvm.engine.numa.SlitDistance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Local" to Linux must be "home here" to the DSM: the SRAT the guest reads, parsed back from the built bytes, is
 * checked against the {@link HomeMap} the DSM of the same VM description runs with ({@code NodeMachine} builds its
 * {@code DsmNode} from {@code VmDescription.homeMap()}). Fails if either side's arithmetic ever changes alone.
 */
class SratMatchesDsmHomesTest {
    private static final long BASE = 0xE0000;

    /** nodes, vCPUs per node, memory in bytes: even and uneven splits, the smallest and the largest RAM. */
    @ParameterizedTest(name = "{0} nodes x {1} vCPUs, {2} bytes")
    @CsvSource(textBlock = """
            2, 1, 67108864
            2, 2, 1073741824
            3, 1, 104857600
            3, 2, 1073741824
            4, 1, 1077936128
            5, 3, 1073745920
            7, 1, 3221225472
            8, 8, 3221225472
            2, 1, 3221225472
            """)
    void sratDomainsAreExactlyTheDsmHomes(int nodes, int vcpusPerNode, long memory) {
        VmDescription d = VmDescriptionWriter.loopback("t", nodes, vcpusPerNode, memory, Optional.empty());
        HomeMap homes = d.homeMap();
        NumaTopology numa = NumaTopology.forVm(d, SlitDistance.DEFAULT).orElseThrow();
        byte[] tables = AcpiTables.build(new AcpiTables.Machine(d.totalVcpus(), GuestLayout.LOCAL_APIC_BASE, 0,
                0xFEC0_0000L, new int[] {4}, 0x600, Optional.of(numa)), BASE);
        NumaTablesReader r = NumaTablesReader.read(tables, BASE).orElseThrow();

        List<NumaTablesReader.MemoryAffinity> ranges = r.memory().stream()
                .sorted(Comparator.comparingLong(NumaTablesReader.MemoryAffinity::base)).toList();
        assertThat(ranges).hasSize(homes.nodeCount());
        long expectedBase = 0;
        for (NumaTablesReader.MemoryAffinity m : ranges) {
            int node = m.domain();
            assertThat(m.base()).as("ranges tile guest RAM without gaps or overlaps").isEqualTo(expectedBase);
            assertThat(m.base()).as("node %d's SRAT start = its first home page", node).isEqualTo(DsmLayout.addressOf(homes.firstPage(node)));
            assertThat(m.end()).as("node %d's SRAT end = its home end", node).isEqualTo(DsmLayout.addressOf(homes.endPage(node)));
            // and page by page at the edges, through the DSM's own lookup
            assertThat(homes.homeOf(DsmLayout.pageOf(m.base()))).isEqualTo(node);
            assertThat(homes.homeOf(DsmLayout.pageOf(m.end() - 1))).isEqualTo(node);
            if (m.end() < memory) {
                assertThat(homes.homeOf(DsmLayout.pageOf(m.end()))).isNotEqualTo(node);
            }
            assertThat(m.flags()).as("enabled, not hot-pluggable").isEqualTo(1);
            expectedBase = m.end();
        }
        assertThat(expectedBase).as("the SRAT covers all guest RAM").isEqualTo(memory);
        // Guest RAM is one range from 0 that ends below the MMIO hole (local APIC, I/O APIC): no hole to cut out.
        assertThat(memory).isLessThanOrEqualTo(GuestLayout.MAX_RAM);
        assertThat(GuestLayout.MAX_RAM).isLessThan(0xFEC0_0000L);

        // Each vCPU by its MADT APIC id (Linux's CPU k is the MADT's k-th entry): in the domain of the node that runs it,
        // and in a package of that node's own, S = max(8, next power of two >= vCPUs per node) ids apart.
        List<Integer> madt = NumaTablesReader.madtApicIds(tables, BASE);
        assertThat(madt).hasSize(d.totalVcpus());
        int stride = Math.max(8, Integer.highestOneBit(vcpusPerNode - 1) << 1);
        for (int vcpu = 0; vcpu < d.totalVcpus(); vcpu++) {
            int apic = madt.get(vcpu);
            assertThat(r.domainOfApic().get(apic)).as("vCPU %d (APIC %d)'s domain = the node that runs it", vcpu, apic)
                    .isEqualTo(d.nodeOfVcpu(vcpu));
            assertThat(apic / stride).as("vCPU %d's APIC id %d lies in its node's package", vcpu, apic).isEqualTo(d.nodeOfVcpu(vcpu));
            assertThat(apic % stride).as("vCPU %d's APIC id %d: its place in the node", vcpu, apic).isEqualTo(vcpu - d.firstVcpu(d.nodeOfVcpu(vcpu)));
        }
        assertThat(r.domainOfApic().keySet()).as("the SRAT names exactly the MADT's APIC ids").containsExactlyInAnyOrderElementsOf(madt);
    }
}
