package io.giantvm.engine.cpu;

import io.giantvm.engine.config.VmDescription;
import io.giantvm.engine.config.VmDescriptionWriter;
import io.giantvm.engine.numa.NumaTopology;
import io.giantvm.engine.numa.SlitDistance;
import io.giantvm.engine.vm.VmConfigurationException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApicIdMapTest {
    private static List<Integer> ids(ApicIdMap m) {
        return IntStream.range(0, m.vcpus()).map(m::apicId).boxed().toList();
    }

    @Test
    void aFlatVmKeepsApicIdEqualToTheVcpuIndex() {
        ApicIdMap m = ApicIdMap.flat(5);
        assertThat(m.spaced()).isFalse();
        assertThat(ids(m)).containsExactly(0, 1, 2, 3, 4);
        assertThat(m.vcpu(3)).isEqualTo(3);
        assertThat(m.vcpu(5)).isEqualTo(-1);
    }

    @Test
    void eachNodeIsAPackageOfAtLeastEightIdsAPowerOfTwoApart() {
        assertThat(ids(ApicIdMap.packagePerNode(2, 1))).containsExactly(0, 8);
        assertThat(ids(ApicIdMap.packagePerNode(3, 2))).containsExactly(0, 1, 8, 9, 16, 17);
        assertThat(ids(ApicIdMap.packagePerNode(2, 8))).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        ApicIdMap nine = ApicIdMap.packagePerNode(2, 9);
        assertThat(nine.idsPerPackage()).isEqualTo(16);
        assertThat(nine.packageShift()).isEqualTo(4);
        assertThat(nine.apicId(9)).isEqualTo(16);
        assertThat(nine.maxApicId()).isEqualTo(24);
    }

    @Test
    void everyIdMapsBackToItsVcpuAndTheGapsToNone() {
        ApicIdMap m = ApicIdMap.packagePerNode(4, 3);
        List<Integer> seen = new ArrayList<>();
        for (int id = 0; id <= 255; id++) {
            int v = m.vcpu(id);
            if (v >= 0) {
                assertThat(m.apicId(v)).isEqualTo(id);
                assertThat(m.packageOf(v)).isEqualTo(id / 8);
                seen.add(v);
            }
        }
        assertThat(seen).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertThat(m.vcpu(3)).as("a gap after node 0's three").isEqualTo(-1);
    }

    @Test
    void aGuestToldOfNumaDomainsGetsAPackagePerDomainAndOtherwiseFlat() {
        VmDescription d = VmDescriptionWriter.loopback("t", 2, 2, 64L << 20, Optional.empty());
        Optional<NumaTopology> numa = NumaTopology.forVm(d, SlitDistance.DEFAULT);
        assertThat(ApicIdMap.forGuest(numa, 4)).isEqualTo(ApicIdMap.packagePerNode(2, 2));
        assertThat(ApicIdMap.forGuest(Optional.empty(), 4)).isEqualTo(ApicIdMap.flat(4));
        assertThatThrownBy(() -> ApicIdMap.forGuest(numa, 3)).hasMessageContaining("places 4 vCPUs, the machine has 3");
    }

    @Test
    void tooManyNodesForTheXapicIdSpaceIsOneLineNamingTheWayOut() {
        assertThat(ApicIdMap.packagePerNode(32, 1).maxApicId()).isEqualTo(248);
        assertThat(ApicIdMap.packagePerNode(2, 127).maxApicId()).isEqualTo(254);
        assertThatThrownBy(() -> ApicIdMap.packagePerNode(33, 1)).isInstanceOf(VmConfigurationException.class)
                .hasMessage("33 nodes x 1 vCPUs: as NUMA nodes each needs 8 APIC ids (a package with its own cache), so the"
                        + " largest would be 256, above the xAPIC's 254; use fewer nodes or NUMA off (--numa off, numa: false)");
        assertThatThrownBy(() -> ApicIdMap.packagePerNode(2, 128)).isInstanceOf(VmConfigurationException.class);
    }
}
