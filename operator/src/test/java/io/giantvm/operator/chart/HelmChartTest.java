package io.giantvm.operator.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.giantvm.operator.crd.GuestSpec;
import io.giantvm.operator.support.RepoFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The chart through the real Helm engine (helm-java embeds Helm): lint, template, values schema. */
class HelmChartTest {
    private static final String RELEASE = "gvm";
    private static final String NAMESPACE = "giantvm-system";
    /** Helm's template assumes Kubernetes 1.20 without a cluster; the chart needs 1.25+. */
    private static final String KUBE_VERSION = "1.31.0";

    @Test
    void lintPassesStrict() {
        LintResult lint = new Helm(RepoFiles.chart()).lint().strict().call();
        assertThat(lint.isFailed()).as("lint messages: %s", lint.getMessages()).isFalse();
    }

    @Test
    void defaultValuesRenderTheOperatorWithLeastPrivilege() {
        List<HasMetadata> objects = render(t -> t);
        assertThat(kinds(objects)).containsExactlyInAnyOrder(
                "ServiceAccount/gvm-giantvm-operator",
                "ClusterRole/gvm-giantvm-operator", "ClusterRole/gvm-giantvm-operator-nodes",
                "ClusterRoleBinding/gvm-giantvm-operator", "ClusterRoleBinding/gvm-giantvm-operator-nodes",
                "Role/gvm-giantvm-operator-leader-election", "RoleBinding/gvm-giantvm-operator-leader-election",
                "Deployment/gvm-giantvm-operator");

        assertThat(rules(find(objects, ClusterRole.class, "gvm-giantvm-operator").getRules())).containsExactlyInAnyOrder(
                "giantvm.io/giantvms:get", "giantvm.io/giantvms:list", "giantvm.io/giantvms:watch",
                "giantvm.io/giantvms/status:update",
                // blockOwnerDeletion on owned objects needs update on finalizers (forbidden on OpenShift without it).
                "giantvm.io/giantvms/finalizers:update",
                "policy/poddisruptionbudgets:get", "policy/poddisruptionbudgets:create",
                "policy/poddisruptionbudgets:update",
                "networking.k8s.io/networkpolicies:get", "networking.k8s.io/networkpolicies:create",
                "networking.k8s.io/networkpolicies:update",
                "apps/statefulsets:get", "apps/statefulsets:list", "apps/statefulsets:watch",
                "apps/statefulsets:create", "apps/statefulsets:update", "apps/statefulsets:delete",
                "/services:get", "/services:create", "/services:update",
                "/configmaps:get", "/configmaps:create", "/configmaps:update",
                "/pods:list", "/pods:watch", "/pods:delete",
                "/events:create", "/events:list");
        assertThat(rules(find(objects, ClusterRole.class, "gvm-giantvm-operator-nodes").getRules()))
                .containsExactly("/nodes:list");
        assertThat(rules(find(objects, Role.class, "gvm-giantvm-operator-leader-election").getRules()))
                .containsExactlyInAnyOrder("coordination.k8s.io/leases:get", "coordination.k8s.io/leases:create",
                        "coordination.k8s.io/leases:update");

        Deployment d = find(objects, Deployment.class, "gvm-giantvm-operator");
        assertThat(d.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
        Container c = d.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(c.getImage()).isEqualTo("ghcr.io/giantvm/giantvm-operator:0.1.0");
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(env(c)).containsEntry("GIANTVM_ENGINE_IMAGE", "ghcr.io/giantvm/giantvm-node:0.1.0")
                .containsEntry("GIANTVM_KVM_RESOURCE", "devices.kubevirt.io/kvm")
                .containsEntry("GIANTVM_RDMA_RESOURCE", "rdma/hca_shared_devices_a")
                .containsEntry("GIANTVM_WATCH_NAMESPACES", "")
                .containsEntry("GIANTVM_LEADER_ELECTION", "true")
                .containsEntry("GIANTVM_CHECK_NODES", "true")
                .containsEntry("GIANTVM_PRIVILEGED", "false")
                .containsEntry("GIANTVM_HTTP_PORT", "8080")
                .containsEntry("GIANTVM_CLUSTER_DOMAIN", "cluster.local")
                .containsEntry("GIANTVM_ENGINE_SERVICE_ACCOUNT", "");
        assertThat(d.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("gvm-giantvm-operator");
    }

    @Test
    void customValuesNarrowRbacAndReachTheOperator(@TempDir Path dir) throws IOException {
        Path values = dir.resolve("values.yaml");
        Files.writeString(values, """
                watchNamespaces: [vms-a, vms-b]
                checkNodes: false
                leaderElection:
                  enabled: false
                engine:
                  image: registry.example/giantvm-node:dev
                  serviceAccountName: hypervisors
                clusterDomain: corp.example
                kvm:
                  nodeSelector:
                    feature.node.kubernetes.io/cpu-cpuid.VMX: "true"
                rdma:
                  resourceName: rdma/roce
                image:
                  tag: "1.2.3"
                """);
        List<HasMetadata> objects = render(t -> t.withValuesFile(values));
        assertThat(kinds(objects)).containsExactlyInAnyOrder(
                "ServiceAccount/gvm-giantvm-operator", "ClusterRole/gvm-giantvm-operator",
                "RoleBinding/gvm-giantvm-operator", "RoleBinding/gvm-giantvm-operator",
                "Deployment/gvm-giantvm-operator");
        assertThat(objects.stream().filter(RoleBinding.class::isInstance).map(o -> o.getMetadata().getNamespace()))
                .containsExactlyInAnyOrder("vms-a", "vms-b");
        Container c = find(objects, Deployment.class, "gvm-giantvm-operator").getSpec().getTemplate().getSpec()
                .getContainers().getFirst();
        assertThat(c.getImage()).isEqualTo("ghcr.io/giantvm/giantvm-operator:1.2.3");
        assertThat(env(c)).containsEntry("GIANTVM_WATCH_NAMESPACES", "vms-a,vms-b")
                .containsEntry("GIANTVM_ENGINE_IMAGE", "registry.example/giantvm-node:dev")
                .containsEntry("GIANTVM_KVM_NODE_SELECTOR", "feature.node.kubernetes.io/cpu-cpuid.VMX=true")
                .containsEntry("GIANTVM_RDMA_RESOURCE", "rdma/roce")
                .containsEntry("GIANTVM_CHECK_NODES", "false")
                .containsEntry("GIANTVM_LEADER_ELECTION", "false")
                .containsEntry("GIANTVM_ENGINE_SERVICE_ACCOUNT", "hypervisors")
                .containsEntry("GIANTVM_CLUSTER_DOMAIN", "corp.example");
    }

    @Test
    void readmeSetsLabelValuesAsStrings() throws IOException {
        // helm's --set parses "true" as a boolean, which the schema rejects for a label value.
        String readme = Files.readString(RepoFiles.root().resolve("README.md"));
        assertThat(readme.lines().filter(l -> l.contains("nodeSelector") && l.contains("--set")))
                .isNotEmpty().allSatisfy(l -> assertThat(l).contains("--set-string"));
        assertRejected(t -> t.set("kvm.nodeSelector.vmx", true), "nodeSelector");
    }

    @Test
    void theChartCarriesTheGeneratedCrd() throws IOException {
        // What Helm installs from crds/ (before any template); CrdDriftTest checks it is the generated one.
        String crds = Helm.show(RepoFiles.chart().toString()).crds().call();
        // Helm separates and terminates documents its own way; compare the content.
        assertThat(crds.replace("---", "").strip())
                .isEqualTo(Files.readString(RepoFiles.root().resolve("crds/giantvms.giantvm.io-v1.yml")).strip());
        // What a Linux guest needs from the chart's CRD: spec.guest with its CEL rules, and status.guest.
        JSONSchemaProps root = RepoFiles.YAML.unmarshal(crds.replace("---", "").strip(), CustomResourceDefinition.class)
                .getSpec().getVersions().getFirst().getSchema().getOpenAPIV3Schema();
        JSONSchemaProps guest = root.getProperties().get("spec").getProperties().get("guest");
        assertThat(guest.getProperties()).containsKeys("kind", "kernel", "initrd", "append", "volume", "sysbench", "time");
        assertThat(guest.getXKubernetesValidations()).extracting(ValidationRule::getMessage)
                .contains(GuestSpec.KERNEL_NEEDS_PATH, GuestSpec.KERNEL_NEEDS_VOLUME, GuestSpec.BUNDLED_LINUX_ONLY);
        assertThat(root.getProperties().get("status").getProperties().get("guest").getProperties())
                .containsKeys("os", "nproc", "sysbench");
    }

    @Test
    void badValuesAreRejectedByTheSchema() {
        assertRejected(t -> t.set("replicaCount", 0), "replicaCount");
        assertRejected(t -> t.set("http.port", "eighty"), "port");
        assertRejected(t -> t.set("watchNamespaces[0]", "Not_A_Namespace"), "watchNamespaces");
        assertRejected(t -> t.set("kvm.resourceName", "has space"), "resourceName");
        assertRejected(t -> t.set("engine.imag", "typo"), "imag");
        assertRejected(t -> t.set("image.pullPolicy", "Sometimes"), "pullPolicy");
    }

    private static void assertRejected(UnaryOperator<com.marcnuri.helm.TemplateCommand> values, String mentions) {
        assertThatThrownBy(() -> values.apply(new Helm(RepoFiles.chart()).template().withName(RELEASE)
                .withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION)).call())
                .hasMessageContaining("schema")
                .hasMessageContaining(mentions);
    }

    private static List<HasMetadata> render(UnaryOperator<com.marcnuri.helm.TemplateCommand> values) {
        String yaml = values.apply(new Helm(RepoFiles.chart()).template().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION)
                .skipCrds()).call();
        return RepoFiles.objects(yaml);
    }

    private static List<String> kinds(List<HasMetadata> objects) {
        return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
    }

    private static <T extends HasMetadata> T find(List<HasMetadata> objects, Class<T> type, String name) {
        return objects.stream().filter(type::isInstance).map(type::cast)
                .filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name + " in " + kinds(objects)));
    }

    /** group/resource:verb for every rule; a wildcard anywhere fails the test. */
    private static Set<String> rules(List<PolicyRule> rules) {
        Set<String> out = new TreeSet<>();
        for (PolicyRule r : rules) {
            for (String g : r.getApiGroups()) {
                for (String res : r.getResources()) {
                    for (String v : r.getVerbs()) {
                        assertThat(List.of(g, res, v)).as("least privilege: no wildcards").doesNotContain("*");
                        out.add(g + "/" + res + ":" + v);
                    }
                }
            }
        }
        return out;
    }

    private static Map<String, String> env(Container c) {
        return c.getEnv().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }
}
