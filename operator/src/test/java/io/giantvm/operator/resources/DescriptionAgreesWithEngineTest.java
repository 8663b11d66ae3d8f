package io.giantvm.operator.resources;

import io.giantvm.engine.config.NodeEntry;
import io.giantvm.engine.config.VmDescription;
import io.giantvm.engine.config.GuestSpec;
import io.giantvm.engine.config.VmDescriptionParser;
import io.giantvm.engine.linux.SysbenchTests;
import io.giantvm.operator.crd.SysbenchTest;
import java.util.Arrays;
import java.util.List;
import io.giantvm.operator.crd.GiantVM;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The VM description the operator writes, read back by the engine's own parser (which refuses unknown keys):
 * what every hypervisor pod would do with it at start. A mismatch here is N crash-looping pods in a cluster.
 */
class DescriptionAgreesWithEngineTest {

    @Test
    void theEngineReadsTheTestGuestsDescription() {
        GiantVM vm = VmDescriptionWriterTest.vm(Map.of("locks", "1", "iterations", "20000"));
        VmDescription d = VmDescriptionParser.parse(VmDescriptionWriter.write(vm), "vm.yaml");
        assertThat(d.name()).isEqualTo("demo");
        assertThat(d.vcpusPerNode()).isEqualTo(1);
        assertThat(d.memoryBytes()).isEqualTo(256L << 20);
        assertThat(d.ioNode()).isEqualTo(VmDescriptionWriter.IO_NODE);
        assertThat(d.workload()).hasValueSatisfying(w -> {
            assertThat(w.name()).isEqualTo("mutex");
            assertThat(w.options()).containsEntry("locks", "1").containsEntry("iterations", "20000");
        });
        assertThat(d.nodes()).extracting(NodeEntry::host).containsExactly(
                "demo-0.demo-mesh.default.svc.cluster.local", "demo-1.demo-mesh.default.svc.cluster.local");
        assertThat(d.nodes()).allSatisfy(n -> {
            assertThat(n.meshPort()).isEqualTo(EngineLayout.MESH_PORT);
            assertThat(n.controlPort()).isEqualTo(EngineLayout.CONTROL_PORT);
        });
    }

    /** Every key of the guest section as the engine reads it: a key spelled differently on the two sides fails here. */
    @Test
    void theEngineReadsALinuxGuestsDescription() {
        GiantVM linux = GuestResourcesTest.linuxVm();
        VmDescription d = VmDescriptionParser.parse(VmDescriptionWriter.write(linux), "vm.yaml");
        assertThat(d.nodeCount()).isEqualTo(linux.getSpec().nodes);
        assertThat(d.workload()).isEmpty();
        assertThat(d.guest()).hasValueSatisfying(g -> {
            assertThat(g.image()).isEqualTo(GuestSpec.Image.BUNDLED_LINUX);
            assertThat(g.sysbench()).containsExactly("cpu", "memory", "mutex", "threads");
            assertThat(g.seconds()).isEqualTo(5);
        });

        GiantVM kernel = GuestResourcesTest.kernelVm("guest-images");
        VmDescription k = VmDescriptionParser.parse(VmDescriptionWriter.write(kernel), "vm.yaml");
        assertThat(k.guest()).hasValueSatisfying(g -> {
            assertThat(g.image()).isEqualTo(GuestSpec.Image.KERNEL);
            assertThat(g.kernel()).hasValueSatisfying(path -> assertThat(path).endsWith("boot/vmlinuz-6.12"));
        });
    }

    /** spec.guest.sysbench offers exactly the tests the engine's /init runs: a test added on one side only fails here. */
    @Test
    void theCrdOffersEverySysbenchTestTheEngineRunsAndNoOther() {
        assertThat(Arrays.stream(SysbenchTest.values()).map(SysbenchTest::wire))
                .containsExactlyInAnyOrderElementsOf(SysbenchTests.KNOWN);

        GiantVM paper = GuestResourcesTest.linuxVm();
        paper.getSpec().guest.sysbench = List.of(SysbenchTest.MEMORY_READ_GLOBAL, SysbenchTest.MEMORY_WRITE_LOCAL);
        VmDescription d = VmDescriptionParser.parse(VmDescriptionWriter.write(paper), "vm.yaml");
        assertThat(d.guest()).hasValueSatisfying(g -> assertThat(g.sysbench()).containsExactly("memory-read-global", "memory-write-local"));
    }
}
