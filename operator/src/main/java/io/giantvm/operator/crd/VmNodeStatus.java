package io.giantvm.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.Objects;

/** One hypervisor node as observed: its pod, where it runs, and what the engine says. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VmNodeStatus {
    @JsonPropertyDescription("Node id in the VM description (= the StatefulSet ordinal).")
    public Integer index;

    public String pod;

    @JsonPropertyDescription("The Kubernetes node the pod runs on.")
    public String node;

    public Boolean ready;

    @JsonPropertyDescription("vCPUs of this node's block (from the engine when reachable, else the spec).")
    public Integer vcpus;

    @JsonPropertyDescription("First guest-physical byte this node is home of.")
    public Long homeMemoryStart;

    @JsonPropertyDescription("End (exclusive) of this node's home memory range.")
    public Long homeMemoryEnd;

    @JsonPropertyDescription("The guest's state as the engine's control API reports it, when reachable.")
    public String guestState;

    @JsonPropertyDescription("Mesh peers this node is connected to, from the control API.")
    public Integer meshPeersConnected;

    @Override
    public boolean equals(Object o) {
        return o instanceof VmNodeStatus n && Objects.equals(index, n.index) && Objects.equals(pod, n.pod)
                && Objects.equals(node, n.node) && Objects.equals(ready, n.ready) && Objects.equals(vcpus, n.vcpus)
                && Objects.equals(homeMemoryStart, n.homeMemoryStart) && Objects.equals(homeMemoryEnd, n.homeMemoryEnd)
                && Objects.equals(guestState, n.guestState)
                && Objects.equals(meshPeersConnected, n.meshPeersConnected);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, pod, node, ready);
    }
}
