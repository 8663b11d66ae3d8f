package io.giantvm.operator.resources;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.giantvm.operator.crd.GiantVM;

/**
 * Admits only the VM's own hypervisor pods to its mesh port: the mesh carries guest memory pages in
 * plaintext, so no other pod may connect to it. The control port stays open to every pod (the
 * operator asks it for status from its own namespace; it is read-only). Kubelet probes are not pod
 * traffic and are not affected. Takes effect where the cluster's network plugin enforces NetworkPolicy.
 */
public final class MeshNetworkPolicyFactory {
    private MeshNetworkPolicyFactory() {}

    public static NetworkPolicy desired(GiantVM vm) {
        String name = vm.getMetadata().getName();
        return new NetworkPolicyBuilder()
                .withMetadata(Owned.meta(vm, EngineLayout.networkPolicyName(name)))
                .withNewSpec()
                .withNewPodSelector().withMatchLabels(Labels.selector(name)).endPodSelector()
                .withPolicyTypes("Ingress")
                .addNewIngress()
                .addNewFrom().withNewPodSelector().withMatchLabels(Labels.selector(name)).endPodSelector().endFrom()
                .addNewPort().withProtocol("TCP").withPort(new IntOrString(EngineLayout.MESH_PORT)).endPort()
                .endIngress()
                .addNewIngress()
                .addNewPort().withProtocol("TCP").withPort(new IntOrString(EngineLayout.CONTROL_PORT)).endPort()
                .endIngress()
                .endSpec()
                .build();
    }
}
