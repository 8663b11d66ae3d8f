package io.giantvm.operator.e2e;

import com.dajudge.kindcontainer.KindContainer;
import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.giantvm.operator.crd.GiantVM;
import io.giantvm.operator.crd.Phase;
import io.giantvm.operator.reconciler.NodeCapacityCheck;
import io.giantvm.operator.support.RepoFiles;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * End to end on a kind cluster in Docker (Kindcontainer): install the chart, apply the example
 * GiantVM, and watch the operator report on it. A kind node has no KVM device plugin, so the
 * expected truthful answer is Pending with "no node with /dev/kvm". The operator image must be
 * pullable by the kind node: set GIANTVM_E2E_OPERATOR_IMAGE (repository:tag). Values: e2e/kind/values.yaml.
 * Skipped without Docker (as on the build machines) or without the image variable.
 */
class KindE2eIT {
    private static final String NAMESPACE = "giantvm-system";

    @Test
    void chartInstallsAndTheOperatorReportsMissingKvmNodes() throws Exception {
        skipUnless(dockerAvailable(), "SKIPPED KindE2eIT: no Docker daemon reachable; the kind end-to-end test needs one");
        String image = System.getenv("GIANTVM_E2E_OPERATOR_IMAGE");
        skipUnless(image != null && image.contains(":"),
                "SKIPPED KindE2eIT: set GIANTVM_E2E_OPERATOR_IMAGE=repository:tag to an operator image the kind node can pull");
        int colon = image.lastIndexOf(':');
        Path e2e = RepoFiles.root().resolve("e2e/kind");

        try (KindContainer<?> kind = new KindContainer<>()) {
            kind.start();
            Helm.install(RepoFiles.chart().toString()).withName("gvm").withNamespace(NAMESPACE).createNamespace()
                    .withKubeConfigContents(kind.getKubeconfig())
                    .withValuesFile(e2e.resolve("values.yaml"))
                    .set("image.repository", image.substring(0, colon)).set("image.tag", image.substring(colon + 1))
                    .waitReady().call();
            try (KubernetesClient client = new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(kind.getKubeconfig())).build()) {
                Deployment operator = client.apps().deployments().inNamespace(NAMESPACE).withName("gvm-giantvm-operator").get();
                assertThat(operator.getStatus().getAvailableReplicas()).isEqualTo(1);

                GiantVM vm = RepoFiles.YAML.unmarshal(Files.readString(e2e.resolve("giantvm.yaml")), GiantVM.class);
                client.resource(vm).create();
                await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
                    GiantVM now = client.resources(GiantVM.class).inNamespace(vm.getMetadata().getNamespace())
                            .withName(vm.getMetadata().getName()).get();
                    assertThat(now.getStatus()).isNotNull();
                    assertThat(now.getStatus().phase).isEqualTo(Phase.PENDING);
                    assertThat(now.getStatus().conditions).anySatisfy(c ->
                            assertThat(c.getReason()).isEqualTo(NodeCapacityCheck.NO_KVM_NODE));
                });
            }
        }
    }

    /** Says why in the build log too: an assumption's message only reaches the report files. */
    private static void skipUnless(boolean condition, String why) {
        if (!condition) {
            System.err.println(why);
        }
        assumeThat(condition).as(why).isTrue();
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
