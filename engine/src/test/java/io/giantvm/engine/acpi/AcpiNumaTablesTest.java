package io.giantvm.engine.acpi;

import io.giantvm.engine.config.VmDescription;
import io.giantvm.engine.config.VmDescriptionWriter;
import io.giantvm.engine.cpu.ApicIdMap;
import io.giantvm.engine.numa.NumaTopology;
import io.giantvm.engine.numa.SlitDistance;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SRAT and SLIT of a NUMA VM, parsed back; a flat VM gets neither. */
class AcpiNumaTablesTest {
    private static final long BASE = 0xE0000;
    private static final long MiB = 1L << 20;

    private static AcpiTables.Machine machine(int vcpus, Optional<NumaTopology> numa) {
        return new AcpiTables.Machine(vcpus, 0xFEE0_0000L, 0, 0xFEC0_0000L, new int[] {4}, 0x600, numa);
    }

    private static NumaTopology twoNodes(int vcpusPerNode, long memory, boolean numa) {
        VmDescription d = VmDescriptionWriter.loopback("t", 2, vcpusPerNode, memory, Optional.empty()).withNuma(numa);
        return NumaTopology.forVm(d, SlitDistance.DEFAULT).orElse(null);
    }

    @Test
    void twoNodesGiveEachVcpuAndEachHomeRangeItsDomainAndDistances10And41() {
        byte[] tables = AcpiTables.build(machine(4, Optional.of(twoNodes(2, 1024 * MiB, true))), BASE);
        assertThat(xsdtSignatures(tables)).containsExactly("FACP", "APIC", "SRAT", "SLIT");
        NumaTablesReader r = NumaTablesReader.read(tables, BASE).orElseThrow();
        // node 1's vCPUs are a package of their own: APIC ids from 8 (Linux's "PXM 1 -> APIC 0x08")
        assertThat(r.domainOfApic()).isEqualTo(Map.of(0, 0, 1, 0, 8, 1, 9, 1));
        assertThat(NumaTablesReader.madtApicIds(tables, BASE)).containsExactly(0, 1, 8, 9);
        assertThat(r.memory()).containsExactly(
                new NumaTablesReader.MemoryAffinity(0, 0, 512 * MiB, 1),
                new NumaTablesReader.MemoryAffinity(1, 512 * MiB, 512 * MiB, 1));
        assertThat(r.distances()).isEqualTo(new int[][] {{10, 41}, {41, 10}});
    }

    @Test
    void threeUnevenNodesPutTheRemainderOnTheLastAndAllDistancesOffTheDiagonalAreRemote() {
        VmDescription d = VmDescriptionWriter.loopback("t", 3, 1, 100 * MiB, Optional.empty());
        byte[] tables = AcpiTables.build(machine(3, NumaTopology.forVm(d, SlitDistance.fromLatency(200, 10, "t"))), BASE);
        NumaTablesReader r = NumaTablesReader.read(tables, BASE).orElseThrow();
        assertThat(r.memory()).extracting(NumaTablesReader.MemoryAffinity::length)
                .containsExactly(32 * MiB, 32 * MiB, 36 * MiB);
        assertThat(r.distances()).isEqualTo(new int[][] {{10, 200, 200}, {200, 10, 200}, {200, 200, 10}});
    }

    @Test
    void aFlatVmHasNeitherTableWhetherOneNodeOrNumaOff() {
        assertThat(twoNodes(1, 64 * MiB, false)).isNull();
        VmDescription one = VmDescriptionWriter.loopback("t", 1, 2, 64 * MiB, Optional.empty());
        assertThat(NumaTopology.forVm(one, SlitDistance.DEFAULT)).isEmpty();
        byte[] flat = AcpiTables.build(machine(2, Optional.empty()), BASE);
        assertThat(NumaTablesReader.read(flat, BASE)).isEmpty();
        assertThat(xsdtSignatures(flat)).containsExactly("FACP", "APIC");
        assertThat(NumaTablesReader.madtApicIds(flat, BASE)).as("APIC id = vCPU index").containsExactly(0, 1);
        // byte for byte what the six-argument (pre-NUMA) machine builds
        assertThat(flat).isEqualTo(AcpiTables.build(new AcpiTables.Machine(2, 0xFEE0_0000L, 0, 0xFEC0_0000L, new int[] {4}, 0x600), BASE));
    }

    @Test
    void aTopologyForAnotherVcpuCountIsRefused() {
        assertThatThrownBy(() -> machine(3, Optional.of(twoNodes(2, 64 * MiB, true))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("places 4 vCPUs, the machine has 3");
    }

    @Test
    void apicIdsThatDisagreeWithTheTopologyAreRefused() {
        assertThatThrownBy(() -> new AcpiTables.Machine(ApicIdMap.flat(4), 0xFEE0_0000L, 0, 0xFEC0_0000L, new int[] {4}, 0x600,
                Optional.of(twoNodes(2, 64 * MiB, true)))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not match");
    }

    @Test
    void tablesFitBelowOneMegabyteFor64VcpusOver8Nodes() {
        VmDescription d = VmDescriptionWriter.loopback("t", 8, 8, 1024 * MiB, Optional.empty());
        byte[] big = AcpiTables.build(machine(64, NumaTopology.forVm(d, SlitDistance.DEFAULT)), BASE);
        assertThat(BASE + big.length).isLessThan(0x10_0000);
        assertThat(NumaTablesReader.read(big, BASE).orElseThrow().domainOfApic()).hasSize(64);
    }

    private static List<String> xsdtSignatures(byte[] tables) {
        ByteBuffer b = ByteBuffer.wrap(tables).order(ByteOrder.LITTLE_ENDIAN);
        int xsdt = (int) (b.getLong(24) - BASE);
        List<String> out = new ArrayList<>();
        for (int at = xsdt + 36; at < xsdt + b.getInt(xsdt + 4); at += 8) {
            out.add(new String(tables, (int) (b.getLong(at) - BASE), 4, StandardCharsets.US_ASCII));
        }
        return out;
    }
}
