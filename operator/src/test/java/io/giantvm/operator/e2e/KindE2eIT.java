package io.giantvm.operator.e2e;

import com.dajudge.kindcontainer.KindContainer;
import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.giantvm.operator.crd.GiantVM;
import io.giantvm.operator.crd.Phase;
import io.giantvm.engine.kvm.HostKvmKind;
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
 *
 * <p>{@link #theDemoRunsToItsResultOnKvmWorkers} goes the whole way where Docker, the kind CLI and /dev/kvm
 * exist: a kind cluster whose two workers get /dev/kvm mounted and the KVM device resource advertised, both
 * images built from the repository with the chart's default tags and loaded with {@code kind load
 * docker-image}, the chart installed, the demo applied with runStrategy Once, and the same assertions as the
 * local product path up to the guest's result. It says which of the three is missing when it skips.
 * {@link #theLinuxDemoReportsItsSysbenchResultsOnKvmWorkers} does the same with the Linux demo, and needs
 * hardware KVM besides (skipped on a PVM host).
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

    @Test
    void theDemoRunsToItsResultOnKvmWorkers(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        onKvmWorkers("KVM workers", dir, client -> {
            GiantVM vm = RepoFiles.YAML.unmarshal(Files.readString(RepoFiles.root().resolve("crds/examples/giantvm-demo.yaml")),
                    GiantVM.class);
            vm.getSpec().runStrategy = io.giantvm.operator.crd.RunStrategy.ONCE;
            vm.getSpec().resources = null; // kind workers are small; requests follow the guest's memory
            client.resource(vm).create();
            await().atMost(Duration.ofMinutes(10)).untilAsserted(() -> {
                GiantVM now = client.resources(GiantVM.class).inNamespace(vm.getMetadata().getNamespace())
                        .withName(vm.getMetadata().getName()).get();
                assertThat(now.getStatus()).isNotNull();
                assertThat(now.getStatus().phase).isEqualTo(Phase.SUCCEEDED);
                assertThat(now.getStatus().guestResult.detail).contains("counter 80000, expected 80000");
            });
        });
    }

    /**
     * The Linux demo (crds/examples/giantvm-linux.yaml) as applied: Running, then Succeeded with nproc 2 and
     * every sysbench test's events in status.guest. A stock Linux needs hardware KVM on the workers.
     */
    @Test
    void theLinuxDemoReportsItsSysbenchResultsOnKvmWorkers(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        skipUnless(HostKvmKind.detect() == HostKvmKind.HARDWARE, "SKIPPED KindE2eIT (Linux demo): this host's KVM is"
                + " PVM (/sys/module/kvm_pvm), where a stock Linux kernel cannot run; it needs hardware KVM");
        onKvmWorkers("Linux demo", dir, client -> {
            GiantVM vm = RepoFiles.YAML.unmarshal(Files.readString(RepoFiles.root().resolve("crds/examples/giantvm-linux.yaml")),
                    GiantVM.class);
            client.resource(vm).create();
            await().atMost(Duration.ofMinutes(15)).untilAsserted(() -> {
                GiantVM now = client.resources(GiantVM.class).inNamespace(vm.getMetadata().getNamespace())
                        .withName(vm.getMetadata().getName()).get();
                assertThat(now.getStatus()).isNotNull();
                assertThat(now.getStatus().phase).isEqualTo(Phase.SUCCEEDED);
                assertThat(now.getStatus().guest.nproc).isEqualTo(2);
                assertThat(now.getStatus().guest.sysbench).extracting(t -> t.test)
                        .containsExactly("cpu", "memory", "mutex", "threads");
                assertThat(now.getStatus().guest.sysbench).allSatisfy(t -> assertThat(t.events).isPositive());
            });
        });
    }

    interface ClusterBody {
        void run(KubernetesClient client) throws Exception;
    }

    /**
     * A kind cluster whose two workers get /dev/kvm mounted and the KVM device resource advertised, both images
     * built from the repository with the chart's default tags and loaded, and the chart installed; then
     * {@code body}. The cluster is deleted afterwards.
     */
    private static void onKvmWorkers(String what, Path dir, ClusterBody body) throws Exception {
        skipUnless(dockerAvailable(), "SKIPPED KindE2eIT (" + what + "): no Docker daemon reachable");
        skipUnless(onPath("kind"), "SKIPPED KindE2eIT (" + what + "): no kind CLI on PATH");
        skipUnless(Files.isReadable(Path.of("/dev/kvm")) && Files.isWritable(Path.of("/dev/kvm")),
                "SKIPPED KindE2eIT (" + what + "): no usable /dev/kvm on this host to mount into the workers");
        Path root = RepoFiles.root();
        String cluster = "giantvm-e2e";
        // The chart's default images, so that the chart installs unchanged (values.yaml, README).
        String operatorImage = "ghcr.io/giantvm/giantvm-operator:0.1.0";
        String nodeImage = "ghcr.io/giantvm/giantvm-node:0.1.0";
        run(root, "docker", "build", "-f", "operator/Dockerfile", "-t", operatorImage, ".");
        run(root, "docker", "build", "-f", "node-image/Dockerfile", "-t", nodeImage, ".");
        Path config = dir.resolve("kind.yaml");
        Files.writeString(config, """
                kind: Cluster
                apiVersion: kind.x-k8s.io/v1alpha4
                nodes:
                  - role: control-plane
                  - role: worker
                    extraMounts: [{hostPath: /dev/kvm, containerPath: /dev/kvm}]
                  - role: worker
                    extraMounts: [{hostPath: /dev/kvm, containerPath: /dev/kvm}]
                """);
        run(root, "kind", "create", "cluster", "--name", cluster, "--config", config.toString(), "--wait", "5m");
        try {
            run(root, "kind", "load", "docker-image", "--name", cluster, operatorImage, nodeImage);
            String kubeconfig = capture(root, "kind", "get", "kubeconfig", "--name", cluster);
            try (KubernetesClient client = new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(kubeconfig)).build()) {
                // No KVM device plugin in kind: advertise the resource on the workers and run privileged so
                // that the mounted /dev/kvm is usable (the chart's documented escape hatch).
                for (var node : client.nodes().list().getItems()) {
                    if (node.getMetadata().getName().contains("worker")) {
                        node.getStatus().getCapacity().put("devices.kubevirt.io/kvm", new io.fabric8.kubernetes.api.model.Quantity("110"));
                        client.nodes().resource(node).updateStatus();
                    }
                }
                Helm.install(RepoFiles.chart().toString()).withName("gvm").withNamespace(NAMESPACE).createNamespace()
                        .withKubeConfigContents(kubeconfig).set("engine.privileged", true).waitReady().call();
                body.run(client);
            }
        } finally {
            run(root, "kind", "delete", "cluster", "--name", cluster);
        }
    }

    private static boolean onPath(String command) {
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, command)));
    }

    private static void run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
        assertThat(p.waitFor()).as(String.join(" ", command)).isZero();
    }

    private static String capture(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command)).isZero();
        return out;
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
