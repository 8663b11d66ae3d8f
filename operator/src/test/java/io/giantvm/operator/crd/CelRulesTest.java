package io.giantvm.operator.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.giantvm.operator.support.RepoFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed CRD's CEL rules, evaluated here with CEL for Java (no kube-apiserver runs on the build
 * machines; KubeApiServerIT does the same against a real one where it can): the examples pass, and each bad
 * guest is refused by exactly the rule meant for it, with its message.
 */
class CelRulesTest {
    private static JSONSchemaProps schema;

    @BeforeAll
    static void load() throws IOException {
        CustomResourceDefinition crd = RepoFiles.YAML.unmarshal(
                Files.readString(RepoFiles.root().resolve("crds/giantvms.giantvm.io-v1.yml")), CustomResourceDefinition.class);
        schema = crd.getSpec().getVersions().getFirst().getSchema().getOpenAPIV3Schema();
    }

    @Test
    void everyRuleCompiles() {
        List<String> rules = CelRules.allRules(schema);
        assertThat(rules).hasSizeGreaterThanOrEqualTo(8);
        rules.forEach(CelRules::compile);
    }

    @Test
    void theExamplesKeepEveryRule() throws IOException {
        assertThat(CelRules.violations(example("giantvm-demo.yaml"), schema)).isEmpty();
        assertThat(CelRules.violations(example("giantvm-linux.yaml"), schema)).isEmpty();
    }

    @Test
    void anEmptyGuestIsTheTestGuestByDefault() throws IOException {
        // The rules read self.kind: they hold only because the schema's default fills it in first.
        JsonNode vm = example("giantvm-demo.yaml");
        ((ObjectNode) vm.get("spec")).putObject("guest");
        assertThat(CelRules.violations(vm, schema)).isEmpty();
    }

    @Test
    void eachBadGuestBreaksTheRuleMeantForIt() throws IOException {
        assertOnly(kernel(g -> g.remove("kernel")), GuestSpec.KERNEL_NEEDS_PATH);
        assertOnly(kernel(g -> g.remove("volume")), GuestSpec.KERNEL_NEEDS_VOLUME);
        assertOnly(kernel(g -> g.put("time", 5)), GuestSpec.BUNDLED_LINUX_ONLY);
        assertOnly(linux(g -> g.put("initrd", "boot/initrd.img")), GuestSpec.FILES_ONLY_FOR_KERNEL);
        // The Linux example's sysbench and time on a user's kernel.
        assertOnly(linux(g -> g.put("kind", "kernel").put("kernel", "boot/vmlinuz").put("volume", "guest-images")),
                GuestSpec.BUNDLED_LINUX_ONLY);
        assertOnly(linux(g -> {
            g.removeAll();
            g.put("kind", "bundled-test").put("append", "quiet");
        }), GuestSpec.LINUX_ONLY);
        assertThat(CelRules.violations(linux(g -> g.putArray("sysbench").add("cpu").add("mutex").add("cpu")), schema))
                .containsExactly(".spec.guest.sysbench: " + GuestSpec.TESTS_ONCE);

        JsonNode both = example("giantvm-linux.yaml");
        ((ObjectNode) both.get("spec")).putObject("workload").put("name", "mutex");
        assertThat(CelRules.violations(both, schema)).containsExactly(".spec: " + GiantVMSpec.WORKLOAD_ONLY_FOR_TEST_GUEST);
    }

    @Test
    void aUsersKernelWithItsFilesPasses() throws IOException {
        assertThat(CelRules.violations(kernel(g -> { }), schema)).isEmpty();
    }

    /** A valid kind-kernel guest, then {@code change}. */
    private static JsonNode kernel(Consumer<ObjectNode> change) throws IOException {
        return linux(g -> {
            g.removeAll();
            g.put("kind", "kernel").put("kernel", "boot/vmlinuz").put("initrd", "boot/initrd.img")
                    .put("volume", "guest-images").put("append", "console=ttyS0 init=/sbin/init");
            change.accept(g);
        });
    }

    @Test
    void theOlderRulesStillHold() throws IOException {
        JsonNode pinned = example("giantvm-demo.yaml");
        ((ObjectNode) pinned.get("spec")).putObject("nodeSelector").put("kubernetes.io/hostname", "one");
        assertThat(CelRules.violations(pinned, schema)).singleElement().asString().contains("each hypervisor needs its own machine");
        JsonNode wide = example("giantvm-demo.yaml");
        ((ObjectNode) wide.get("spec")).put("nodes", 64).put("vcpusPerNode", 2);
        assertThat(CelRules.violations(wide, schema)).singleElement().asString().contains("at most 64");
        JsonNode named = example("giantvm-demo.yaml");
        ((ObjectNode) named.get("metadata")).put("name", "1-bad");
        assertThat(CelRules.violations(named, schema)).singleElement().asString().contains("start with a letter");
    }

    private static void assertOnly(JsonNode vm, String message) {
        assertThat(CelRules.violations(vm, schema)).containsExactly(".spec.guest: " + message);
    }

    private static JsonNode linux(Consumer<ObjectNode> change) throws IOException {
        JsonNode vm = example("giantvm-linux.yaml");
        change.accept((ObjectNode) vm.get("spec").get("guest"));
        return vm;
    }

    private static JsonNode example(String file) throws IOException {
        return RepoFiles.YAML.unmarshal(Files.readString(RepoFiles.root().resolve("crds/examples").resolve(file)),
                JsonNode.class);
    }
}
