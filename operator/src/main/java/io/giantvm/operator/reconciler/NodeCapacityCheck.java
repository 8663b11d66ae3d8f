package io.giantvm.operator.reconciler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.giantvm.operator.crd.GiantVMSpec;
import io.giantvm.operator.crd.Transport;
import io.giantvm.operator.runtime.OperatorSettings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Before creating pods: are there enough machines that can run a hypervisor? KubeVirt users' top
 * complaint is a silent Pending pod ("Insufficient devices.kubevirt.io/kvm"); this names the cause.
 * A node counts when it matches the KVM node selector and the VM's, is schedulable, and offers the
 * KVM (and for rdma the RDMA) resource. Taints are left to the scheduler: tolerations can be subtle.
 */
public final class NodeCapacityCheck {
    public static final String NO_KVM_NODE = "NoKvmNode";
    public static final String NO_RDMA_NODE = "NoRdmaNode";
    public static final String NOT_ENOUGH_NODES = "NotEnoughNodes";

    private NodeCapacityCheck() {}

    public static Optional<Problem> check(KubernetesClient client, OperatorSettings settings, GiantVMSpec spec) {
        List<Node> nodes;
        try {
            nodes = client.nodes().list().getItems();
        } catch (KubernetesClientException e) {
            // Without permission to list nodes the scheduler will tell via pod conditions instead.
            return Optional.empty();
        }
        Map<String, String> selector = new LinkedHashMap<>(settings.kvmNodeSelector());
        if (spec.nodeSelector != null) {
            selector.putAll(spec.nodeSelector);
        }
        List<Node> kvm = nodes.stream()
                .filter(n -> !Boolean.TRUE.equals(n.getSpec() == null ? null : n.getSpec().getUnschedulable()))
                .filter(n -> matches(n, selector))
                .filter(n -> settings.kvmResource().isEmpty() || offers(n, settings.kvmResource()))
                .toList();
        if (kvm.isEmpty()) {
            return Optional.of(new Problem(NO_KVM_NODE, "no node with /dev/kvm: no schedulable node "
                    + (settings.kvmResource().isEmpty() ? "" : "offers " + settings.kvmResource() + " and ")
                    + "matches node selector " + selector));
        }
        List<Node> usable = kvm;
        if (spec.transportOrDefault() == Transport.RDMA) {
            usable = kvm.stream().filter(n -> offers(n, settings.rdmaResource())).toList();
            if (usable.isEmpty()) {
                return Optional.of(new Problem(NO_RDMA_NODE, "no RDMA node: none of the " + kvm.size()
                        + " KVM-capable nodes offers " + settings.rdmaResource() + " (transport: rdma)"));
            }
        }
        if (usable.size() < spec.nodes) {
            return Optional.of(new Problem(NOT_ENOUGH_NODES, spec.nodes + " hypervisors need " + spec.nodes
                    + " machines, but only " + usable.size() + " capable node(s) match (one hypervisor per machine)"));
        }
        return Optional.empty();
    }

    private static boolean matches(Node n, Map<String, String> selector) {
        Map<String, String> labels = n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels();
        return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    private static boolean offers(Node n, String resource) {
        if (n.getStatus() == null || n.getStatus().getAllocatable() == null) {
            return false;
        }
        Quantity q = n.getStatus().getAllocatable().get(resource);
        return q != null && q.getNumericalAmount().signum() > 0;
    }
}
