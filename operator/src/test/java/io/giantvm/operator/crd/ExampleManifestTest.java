package io.giantvm.operator.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.giantvm.operator.reconciler.SpecValidator;
import io.giantvm.operator.resources.VmDescriptionWriter;
import io.giantvm.operator.support.RepoFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example in crds/examples against the committed CRD's schema. `kubectl apply --dry-run=client`
 * needs an API server for discovery even in client mode, and none runs here; this checks what the
 * server's schema validation would, and the operator's own checks on top.
 */
class ExampleManifestTest {
    private static JSONSchemaProps schema;
    private static Path example;

    @BeforeAll
    static void load() throws IOException {
        CustomResourceDefinition crd = RepoFiles.YAML.unmarshal(
                Files.readString(RepoFiles.root().resolve("crds/giantvms.giantvm.io-v1.yml")), CustomResourceDefinition.class);
        schema = crd.getSpec().getVersions().getFirst().getSchema().getOpenAPIV3Schema();
        example = RepoFiles.root().resolve("crds/examples/giantvm-demo.yaml");
    }

    @Test
    void theExampleIsValidForTheSchemaAndTheOperator() throws IOException {
        JsonNode json = exampleJson();
        assertThat(StructuralSchemaValidator.validate(withoutTypeMeta(json), schema)).isEmpty();

        GiantVM vm = RepoFiles.YAML.unmarshal(Files.readString(example), GiantVM.class);
        assertThat(SpecValidator.check(vm)).isEmpty();
        assertThat(VmDescriptionWriter.write(vm)).contains("memory: 512Mi", "name: mutex",
                "host: demo-1.demo-mesh.default.svc.cluster.local");
    }

    @Test
    void theLinuxExampleIsValidForTheSchemaAndTheOperator() throws IOException {
        Path linux = RepoFiles.root().resolve("crds/examples/giantvm-linux.yaml");
        JsonNode json = RepoFiles.YAML.unmarshal(Files.readString(linux), JsonNode.class);
        assertThat(StructuralSchemaValidator.validate(withoutTypeMeta(json), schema)).isEmpty();

        GiantVM vm = RepoFiles.YAML.unmarshal(Files.readString(linux), GiantVM.class);
        assertThat(vm.getSpec().nodes).isEqualTo(2);
        assertThat(vm.getSpec().vcpusPerNode).isEqualTo(1);
        assertThat(vm.getSpec().runStrategy).isEqualTo(RunStrategy.ONCE);
        assertThat(vm.getSpec().guest.sysbench).containsExactly(SysbenchTest.CPU, SysbenchTest.MEMORY,
                SysbenchTest.MUTEX, SysbenchTest.THREADS);
        assertThat(SpecValidator.check(vm)).isEmpty();
        assertThat(VmDescriptionWriter.write(vm)).contains("guest:\n  kind: bundled-linux\n", "  time: 5\n")
                .doesNotContain("workload:");
    }

    @Test
    void theSchemaRejectsBadGuests() throws IOException {
        assertRejected(spec -> guest(spec).put("kind", "windows"), ".spec.guest.kind: 'windows' is not one of");
        assertRejected(spec -> guest(spec).put("kernel", "/boot/vmlinuz"), ".spec.guest.kernel: '/boot/vmlinuz' does not match");
        assertRejected(spec -> guest(spec).put("initrd", "../initrd"), ".spec.guest.initrd: '../initrd' does not match");
        assertRejected(spec -> guest(spec).put("volume", "Images"), ".spec.guest.volume: 'Images' does not match");
        assertRejected(spec -> guest(spec).putArray("sysbench").add("fileio"), "'fileio' is not one of");
        assertRejected(spec -> guest(spec).put("time", 0), ".spec.guest.time: 0 is below the minimum 1");
        assertRejected(spec -> guest(spec).put("kernal", "boot/vmlinuz"), ".spec.guest.kernal: unknown field");
    }

    /** The demo's spec.guest, created empty (what the schema defaults to the test guest). */
    private static ObjectNode guest(ObjectNode spec) {
        return spec.has("guest") ? (ObjectNode) spec.get("guest") : spec.putObject("guest");
    }

    @Test
    void theSchemaRejectsWhatItShould() throws IOException {
        assertRejected(spec -> spec.put("nodes", 0), ".spec.nodes: 0 is below the minimum 1");
        assertRejected(spec -> spec.put("nodes", 65), ".spec.nodes: 65 is above the maximum 64");
        assertRejected(spec -> spec.put("vcpusPerNode", 0), ".spec.vcpusPerNode: 0 is below the minimum 1");
        assertRejected(spec -> spec.put("memory", "1.5Gi"), ".spec.memory: '1.5Gi' does not match");
        assertRejected(spec -> spec.put("transport", "udp"), ".spec.transport: 'udp' is not one of");
        assertRejected(spec -> spec.put("runStrategy", "Sometimes"), ".spec.runStrategy: 'Sometimes' is not one of");
        assertRejected(spec -> spec.put("node", 2), ".spec.node: unknown field");
        assertRejected(spec -> spec.remove("memory"), ".spec.memory: required");
        assertRejected(spec -> ((ObjectNode) spec.get("workload")).remove("name"), ".spec.workload.name: required");
        assertRejected(spec -> ((ObjectNode) spec.get("workload")).put("name", "doom"), "'doom' is not one of");
    }

    private void assertRejected(Consumer<ObjectNode> breakSpec, String error) throws IOException {
        JsonNode json = withoutTypeMeta(exampleJson());
        breakSpec.accept((ObjectNode) json.get("spec"));
        List<String> errors = StructuralSchemaValidator.validate(json, schema);
        assertThat(errors).anySatisfy(e -> assertThat(e).contains(error));
    }

    private static JsonNode exampleJson() throws IOException {
        return RepoFiles.YAML.unmarshal(Files.readString(example), JsonNode.class);
    }

    /** apiVersion, kind and metadata are the API server's, not part of the CRD's schema. */
    private static JsonNode withoutTypeMeta(JsonNode json) {
        ObjectNode copy = json.deepCopy();
        copy.remove(List.of("apiVersion", "kind", "metadata"));
        return copy;
    }
}
