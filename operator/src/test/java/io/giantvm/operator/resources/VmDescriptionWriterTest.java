package io.giantvm.operator.resources;

import io.giantvm.operator.crd.GiantVM;
import io.giantvm.operator.crd.GiantVMSpec;
import io.giantvm.operator.crd.GuestSpec;
import io.giantvm.operator.crd.Transport;
import io.giantvm.operator.crd.Workload;
import io.giantvm.operator.crd.WorkloadName;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The vm.yaml the engine reads (format: engine/VM-DESCRIPTION.md). */
class VmDescriptionWriterTest {

    @Test
    void writesTheDocumentedFormat() {
        assertThat(VmDescriptionWriter.write(vm(Map.of("locks", "1", "iterations", "20000")))).isEqualTo("""
                # Written by the giantvm operator for GiantVM default/demo; every node loads this file.
                apiVersion: giantvm.io/v1alpha1
                kind: VmDescription
                name: demo
                vcpusPerNode: 1
                memory: 256Mi
                ioNode: 0
                transport: tcp
                workload:
                  name: mutex
                  options:
                    "iterations": "20000"
                    "locks": "1"
                nodes:
                  - id: 0
                    host: demo-0.demo-mesh.default.svc.cluster.local
                    meshPort: 7100
                    controlPort: 7200
                  - id: 1
                    host: demo-1.demo-mesh.default.svc.cluster.local
                    meshPort: 7100
                    controlPort: 7200
                """);
    }

    @Test
    void optionOrderDoesNotChangeTheFile() {
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("a", "1");
        ab.put("b", "2");
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("b", "2");
        ba.put("a", "1");
        assertThat(VmDescriptionWriter.write(vm(ab))).isEqualTo(VmDescriptionWriter.write(vm(ba)));
    }

    @Test
    void awkwardOptionValuesSurviveAYamlParser() {
        Map<String, String> options = Map.of("msg", "say \"hi\"\n\tback\\slash: # not a comment", "yes", "no");
        String yaml = VmDescriptionWriter.write(vm(options));
        @SuppressWarnings("unchecked")
        Map<String, Object> parsed = new KubernetesSerialization().unmarshal(yaml, Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> workload = (Map<String, Object>) parsed.get("workload");
        assertThat(workload.get("options")).isEqualTo(options);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) parsed.get("nodes");
        assertThat(nodes).extracting(n -> n.get("id")).containsExactly(0, 1);
        assertThat(parsed.get("memory")).isEqualTo("256Mi");
    }

    @Test
    void guestNumaOffReachesTheEnginesDescriptionAndOnLeavesTheFileAsItWas() {
        GiantVM vm = vm(Map.of());
        String before = VmDescriptionWriter.write(vm);
        assertThat(before).doesNotContain("numa");
        assertThat(io.giantvm.engine.config.VmDescriptionParser.parse(before, "vm.yaml").numa()).isTrue();
        vm.getSpec().guest = new GuestSpec();
        vm.getSpec().guest.numa = true;
        assertThat(VmDescriptionWriter.write(vm)).isEqualTo(before);
        vm.getSpec().guest.numa = false;
        String off = VmDescriptionWriter.write(vm);
        assertThat(off).contains("transport: tcp\nnuma: false\n");
        assertThat(io.giantvm.engine.config.VmDescriptionParser.parse(off, "vm.yaml").numa()).isFalse();
    }

    @Test
    void decimalSizesAreWrittenInBytes() {
        GiantVM vm = vm(Map.of());
        vm.getSpec().memory = "1G";
        assertThat(VmDescriptionWriter.write(vm)).contains("memory: 1000000000\n").doesNotContain("workload:\n  name: mutex\n  options");
    }

    static GiantVM vm(Map<String, String> options) {
        GiantVM vm = new GiantVM();
        vm.getMetadata().setName("demo");
        vm.getMetadata().setNamespace("default");
        GiantVMSpec spec = new GiantVMSpec();
        spec.nodes = 2;
        spec.vcpusPerNode = 1;
        spec.memory = "256Mi";
        spec.transport = Transport.TCP;
        spec.workload = new Workload();
        spec.workload.name = WorkloadName.MUTEX;
        spec.workload.options = options;
        vm.setSpec(spec);
        return vm;
    }
}
