package io.giantvm.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the operator observed; written once per reconciliation pass. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GiantVMStatus {
    @JsonPropertyDescription("Pending, Scheduling, Wiring, Running, Degraded, Failed or Stopped.")
    public Phase phase;

    @JsonPropertyDescription("Scheduled, MeshConnected, Ready and Degraded.")
    public List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("One entry per hypervisor node, by index.")
    public List<VmNodeStatus> nodes = new ArrayList<>();

    @JsonPropertyDescription("vCPUs on ready nodes.")
    public Integer vcpus;

    @JsonPropertyDescription("Guest RAM of the VM (one address space across all nodes).")
    public String memory;

    public Integer readyNodes;

    public Integer desiredNodes;

    @JsonPropertyDescription("readyNodes/desiredNodes, for the printer column.")
    public String nodesReady;

    @JsonPropertyDescription("The spec generation this status describes.")
    public Long observedGeneration;

    @JsonPropertyDescription("Set while a spec change restarts the VM: a VM cannot grow or change live yet.")
    public String restart;

    @JsonPropertyDescription("Whole-VM restarts since the resource was created (a node died, the guest stopped, the spec changed).")
    public Integer restarts;

    @JsonPropertyDescription("Why the VM last restarted as a whole.")
    public String lastRestartReason;

    @JsonPropertyDescription("The guest's result once it stopped: succeeded or failed, its exit status and what it reported.")
    public GuestResult guestResult;

    @JsonPropertyDescription("What a Linux guest reported about itself (kernel, nproc, sysbench results), from the last run that reported it.")
    public GuestStatus guest;

    @Override
    public boolean equals(Object o) {
        return o instanceof GiantVMStatus s && phase == s.phase && Objects.equals(conditions, s.conditions)
                && Objects.equals(nodes, s.nodes) && Objects.equals(vcpus, s.vcpus)
                && Objects.equals(memory, s.memory) && Objects.equals(readyNodes, s.readyNodes)
                && Objects.equals(desiredNodes, s.desiredNodes) && Objects.equals(nodesReady, s.nodesReady)
                && Objects.equals(observedGeneration, s.observedGeneration) && Objects.equals(restart, s.restart)
                && Objects.equals(restarts, s.restarts) && Objects.equals(lastRestartReason, s.lastRestartReason)
                && Objects.equals(guestResult, s.guestResult) && Objects.equals(guest, s.guest);
    }

    /** For test failures and logs: the fields that decide what people see. */
    @Override
    public String toString() {
        return "phase=" + phase + " nodesReady=" + nodesReady + " restart=" + restart + " restarts=" + restarts
                + " guestResult=" + guestResult + " guest=" + guest + " conditions=" + conditions;
    }

    @Override
    public int hashCode() {
        return Objects.hash(phase, conditions, nodes, vcpus, memory, readyNodes, desiredNodes, observedGeneration);
    }
}
