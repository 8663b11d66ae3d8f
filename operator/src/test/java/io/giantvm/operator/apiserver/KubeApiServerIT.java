package io.giantvm.operator.apiserver;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.giantvm.operator.crd.GiantVM;
import io.giantvm.operator.crd.GiantVMSpec;
import io.giantvm.operator.crd.GuestKind;
import io.giantvm.operator.crd.GuestSpec;
import io.giantvm.operator.crd.SysbenchTest;
import io.giantvm.operator.crd.Phase;
import io.giantvm.operator.engine.EngineStatusProbe;
import io.giantvm.operator.reconciler.NodeCapacityCheck;
import io.giantvm.operator.runtime.OperatorRuntime;
import io.giantvm.operator.runtime.OperatorSettings;
import io.giantvm.operator.runtime.ReconcileMetrics;
import io.giantvm.operator.support.RepoFiles;
import io.javaoperatorsdk.operator.Operator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * Against a real kube-apiserver + etcd (kube-api-test, offline: it must not download binaries):
 * the CRD's schema and CEL rule are enforced by the server, and the operator runs with server-side
 * apply as in production. Skipped when the binaries are not in ~/.kubeapitest (or KUBE_API_TEST_DIR).
 */
class KubeApiServerIT {
    private static final String NAMESPACE = "vms";
    private static KubeAPIServer server;
    private static KubernetesClient client;
    private static String skipped;

    @BeforeAll
    static void startApiServer() throws IOException {
        Path dir = Path.of(System.getenv().getOrDefault(KubeAPIServerConfigBuilder.KUBE_API_TEST_DIR,
                System.getProperty("user.home") + "/" + KubeAPIServerConfigBuilder.DIRECTORY_NAME));
        if (!hasBinaries(dir)) {
            skipped = "SKIPPED KubeApiServerIT: no kube-apiserver and etcd binaries under " + dir
                    + " (kube-api-test would download them; this machine cannot). Put them there to run these tests.";
            System.err.println(skipped);
            return;
        }
        server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withOfflineMode(true).withTestDir(dir.toString()).withUpdateKubeConfig(false).build());
        server.start();
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(server.getKubeConfigYaml())).build();
        CustomResourceDefinition crd = RepoFiles.YAML.unmarshal(
                Files.readString(RepoFiles.root().resolve("crds/giantvms.giantvm.io-v1.yml")), CustomResourceDefinition.class);
        client.resource(crd).create();
        client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions().stream()
                        .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())),
                        30, java.util.concurrent.TimeUnit.SECONDS);
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();
    }

    @AfterAll
    static void stopApiServer() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    private static void assumeServer() {
        assumeThat(skipped).as(skipped == null ? "" : skipped).isNull();
    }

    private static boolean hasBinaries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            var names = files.map(p -> p.getFileName().toString()).toList();
            return names.contains("kube-apiserver") && names.contains("etcd");
        }
    }

    @Test
    void theServerAcceptsTheExampleAndEnforcesTheSchemaAndCelRule() throws IOException {
        assumeServer();
        GiantVM example = example("schema-ok");
        client.resource(example).dryRun().create();

        GiantVM tooMany = example("too-many");
        tooMany.getSpec().nodes = 65;
        assertThatThrownBy(() -> client.resource(tooMany).create())
                .isInstanceOf(KubernetesClientException.class).hasMessageContaining("spec.nodes");

        GiantVM pinned = example("pinned");
        pinned.getSpec().nodeSelector = Map.of("kubernetes.io/hostname", "one-machine");
        assertThatThrownBy(() -> client.resource(pinned).create())
                .isInstanceOf(KubernetesClientException.class).hasMessageContaining("each hypervisor needs its own machine");
    }

    @Test
    void theServerEnforcesTheGuestRules() throws IOException {
        assumeServer();
        GiantVM linux = RepoFiles.YAML.unmarshal(
                Files.readString(RepoFiles.root().resolve("crds/examples/giantvm-linux.yaml")), GiantVM.class);
        linux.getMetadata().setNamespace(NAMESPACE);
        client.resource(linux).dryRun().create();

        // Without spec.guest the server defaults nothing into it: old resources stay as they were. (A dry run
        // returns the object as it would be stored, defaults applied.)
        GiantVM plain = client.resource(example("plain")).dryRun().create();
        assertThat(plain.getSpec().guest).isNull();
        GiantVM empty = example("empty-guest");
        empty.getSpec().guest = new GuestSpec();
        assertThat(client.resource(empty).dryRun().create().getSpec().guest.kind).isEqualTo(GuestKind.BUNDLED_TEST);

        assertGuestRejected("no-kernel", g -> {
            g.kind = GuestKind.KERNEL;
            g.volume = "guest-images";
        }, GuestSpec.KERNEL_NEEDS_PATH);
        assertGuestRejected("no-volume", g -> {
            g.kind = GuestKind.KERNEL;
            g.kernel = "boot/vmlinuz";
        }, GuestSpec.KERNEL_NEEDS_VOLUME);
        assertGuestRejected("stray-files", g -> {
            g.kind = GuestKind.BUNDLED_LINUX;
            g.kernel = "boot/vmlinuz";
        }, GuestSpec.FILES_ONLY_FOR_KERNEL);
        assertGuestRejected("test-sysbench", g -> g.sysbench = List.of(SysbenchTest.CPU), GuestSpec.BUNDLED_LINUX_ONLY);
        assertGuestRejected("test-append", g -> g.append = "quiet", GuestSpec.LINUX_ONLY);
        assertGuestRejected("twice", g -> {
            g.kind = GuestKind.BUNDLED_LINUX;
            g.sysbench = List.of(SysbenchTest.CPU, SysbenchTest.CPU);
        }, GuestSpec.TESTS_ONCE);
        // The demo names a workload: with a Linux guest that is a contradiction.
        assertGuestRejected("linux-workload", g -> g.kind = GuestKind.BUNDLED_LINUX,
                GiantVMSpec.WORKLOAD_ONLY_FOR_TEST_GUEST);
    }

    private static void assertGuestRejected(String name, Consumer<GuestSpec> guest, String message) throws IOException {
        GiantVM vm = example(name);
        vm.getSpec().guest = new GuestSpec();
        guest.accept(vm.getSpec().guest);
        assertThatThrownBy(() -> client.resource(vm).create())
                .isInstanceOf(KubernetesClientException.class).hasMessageContaining(message);
    }

    @Test
    void theOperatorReportsMissingKvmNodesWithServerSideApply() throws IOException {
        assumeServer();
        Operator operator = OperatorRuntime.create(client, OperatorSettings.defaults(), EngineStatusProbe.DISABLED,
                new ReconcileMetrics(), true);
        operator.start();
        try {
            client.resource(example("no-kvm")).create();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                GiantVM vm = client.resources(GiantVM.class).inNamespace(NAMESPACE).withName("no-kvm").get();
                assertThat(vm.getStatus()).isNotNull();
                assertThat(vm.getStatus().phase).isEqualTo(Phase.PENDING);
                assertThat(vm.getStatus().conditions).anySatisfy(c ->
                        assertThat(c.getReason()).isEqualTo(NodeCapacityCheck.NO_KVM_NODE));
            });
        } finally {
            operator.stop();
        }
    }

    private static GiantVM example(String name) throws IOException {
        GiantVM vm = RepoFiles.YAML.unmarshal(
                Files.readString(RepoFiles.root().resolve("crds/examples/giantvm-demo.yaml")), GiantVM.class);
        vm.getMetadata().setName(name);
        vm.getMetadata().setNamespace(NAMESPACE);
        return vm;
    }
}
