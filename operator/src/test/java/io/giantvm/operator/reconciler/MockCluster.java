package io.giantvm.operator.reconciler;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.giantvm.operator.crd.GiantVM;
import io.giantvm.operator.crd.GiantVMSpec;
import io.giantvm.operator.crd.Transport;
import io.giantvm.operator.crd.Workload;
import io.giantvm.operator.crd.WorkloadName;
import io.giantvm.operator.runtime.OperatorSettings;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;

/** Set-up shared by the reconciler tests: the CRD and a few KVM-capable nodes in the mock API server. */
final class MockCluster {
    static final String NAMESPACE = "vms";
    static final String KVM = OperatorSettings.DEFAULT_KVM_RESOURCE;

    private MockCluster() {}

    static Path repoRoot() {
        return Path.of(System.getProperty("giantvm.repo.root", "..")).toAbsolutePath().normalize();
    }

    /** The committed CRD, so that the mock serves GiantVM with its status subresource. */
    static void installCrd(KubernetesClient client) throws IOException {
        try (InputStream in = new FileInputStream(repoRoot().resolve("crds/giantvms.giantvm.io-v1.yml").toFile())) {
            CustomResourceDefinition crd = client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
            client.apiextensions().v1().customResourceDefinitions().resource(crd).createOr(r -> r.update());
        }
    }

    /** {@code count} schedulable nodes with the KVM device resource and no RDMA. */
    static void addKvmNodes(KubernetesClient client, int count) {
        for (int i = 0; i < count; i++) {
            client.resource(new NodeBuilder()
                    .withMetadata(new ObjectMetaBuilder().withName("node-" + i)
                            .withLabels(Map.of("kubernetes.io/hostname", "node-" + i)).build())
                    .withNewStatus().withAllocatable(Map.of(KVM, new Quantity("110"), "cpu", new Quantity("8")))
                    .endStatus()
                    .build()).createOr(r -> r.update());
        }
    }

    static GiantVM vm(String name, int nodes, int vcpusPerNode, String memory) {
        GiantVM vm = new GiantVM();
        vm.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
        GiantVMSpec spec = new GiantVMSpec();
        spec.nodes = nodes;
        spec.vcpusPerNode = vcpusPerNode;
        spec.memory = memory;
        spec.transport = Transport.TCP;
        spec.workload = new Workload();
        spec.workload.name = WorkloadName.MUTEX;
        spec.workload.options = Map.of("iterations", "20000", "locks", "1");
        vm.setSpec(spec);
        return vm;
    }
}
