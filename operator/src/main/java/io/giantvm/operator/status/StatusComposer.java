package io.giantvm.operator.status;

import io.giantvm.control.v1.GuestState;
import io.giantvm.control.v1.NodeStatus;
import io.giantvm.operator.crd.GiantVM;
import io.giantvm.operator.crd.GiantVMStatus;
import io.giantvm.operator.crd.MemorySize;
import io.giantvm.operator.crd.Phase;
import io.giantvm.operator.crd.VmNodeStatus;
import io.giantvm.operator.reconciler.Problem;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Turns what was observed into the status: phase, conditions, per-node entries and aggregates. */
public final class StatusComposer {
    private StatusComposer() {}

    /**
     * A VM whose pods exist (or should): the phase follows from the pods and the engines.
     *
     * @param hasRun  the VM has reached Running with its current pod template (so a node that is
     *                not ready now was lost: Degraded, not still Wiring)
     * @param restart why the VM is restarting, or null
     * @param createFailure why a missing pod could not be created (the StatefulSet's FailedCreate), or null
     * @param failedStop    why the VM just stopped by failing (a node died, the guest failed), or null
     */
    public static GiantVMStatus observed(GiantVM vm, List<NodeSlot> slots, boolean hasRun, String restart,
                                         String createFailure, String failedStop, Instant now) {
        GiantVMStatus previous = vm.getStatus();
        int desired = vm.getSpec().nodes;
        long generation = vm.getMetadata().getGeneration() == null ? 0 : vm.getMetadata().getGeneration();
        Conditions c = new Conditions(previous == null ? null : previous.conditions, generation, now);

        long placed = slots.stream().filter(s -> s.health() != null && s.health().scheduled()).count();
        long ready = slots.stream().filter(s -> s.health() != null && s.health().ready()).count();
        Optional<String> unschedulable = slots.stream()
                .filter(s -> s.health() != null && s.health().unschedulable() != null)
                .map(s -> "pod " + s.pod().getMetadata().getName() + ": " + s.health().unschedulable())
                .findFirst();
        Optional<String> podFailure = slots.stream()
                .filter(s -> s.health() != null && s.health().failure() != null)
                .map(s -> "pod " + s.pod().getMetadata().getName() + ": " + s.health().failure())
                .findFirst();
        Optional<String> guestFailure = slots.stream()
                .filter(s -> s.report() != null && s.report().reachable()
                        && s.report().status().getGuestState() == GuestState.GUEST_STATE_FAILED)
                .map(s -> "node " + s.index() + ": guest failed"
                        + (s.report().status().getDetail().isEmpty() ? "" : ": " + s.report().status().getDetail())
                        + silentNodes(slots))
                .findFirst();

        if (placed == desired) {
            c.set(Conditions.SCHEDULED, true, Reasons.ALL_SCHEDULED,
                    desired + " of " + desired + " hypervisor pods placed, one per machine");
        } else if (createFailure != null) {
            c.set(Conditions.SCHEDULED, false, Reasons.FAILED_CREATE,
                    placed + " of " + desired + " hypervisor pods placed; creating a pod failed: " + createFailure);
        } else if (unschedulable.isPresent()) {
            c.set(Conditions.SCHEDULED, false, Reasons.UNSCHEDULABLE, unschedulable.get());
        } else {
            c.set(Conditions.SCHEDULED, false, Reasons.WAITING_FOR_PODS,
                    placed + " of " + desired + " hypervisor pods placed");
        }

        int meshComplete = (int) slots.stream().filter(StatusComposer::meshComplete).count();
        if (meshComplete == desired) {
            c.set(Conditions.MESH_CONNECTED, true, Reasons.MESH_COMPLETE,
                    "every node reaches its " + (desired - 1) + " peer(s)");
        } else {
            c.set(Conditions.MESH_CONNECTED, false, Reasons.MESH_INCOMPLETE,
                    meshComplete + " of " + desired + " nodes report a complete mesh");
        }

        Phase phase;
        String degradedReason = null;
        String degradedMessage = null;
        if (failedStop != null) {
            degradedReason = Reasons.VM_STOPPED;
            degradedMessage = failedStop;
        } else if (podFailure.isPresent()) {
            degradedReason = Reasons.POD_FAILED;
            degradedMessage = podFailure.get();
        } else if (guestFailure.isPresent()) {
            degradedReason = Reasons.GUEST_FAILED;
            degradedMessage = guestFailure.get();
        } else if (hasRun && ready < desired) {
            degradedReason = Reasons.NODE_NOT_READY;
            degradedMessage = (desired - ready) + " of " + desired + " nodes not ready: "
                    + notReady(slots);
        }
        if (degradedReason != null) {
            phase = Phase.DEGRADED;
            c.set(Conditions.DEGRADED, true, degradedReason, degradedMessage);
        } else {
            c.set(Conditions.DEGRADED, false, Reasons.AS_EXPECTED, "no node failed");
            phase = ready == desired && slots.size() == desired ? Phase.RUNNING
                    : placed < desired ? Phase.SCHEDULING : Phase.WIRING;
        }

        if (phase == Phase.RUNNING) {
            c.set(Conditions.READY, true, Reasons.RUNNING, "all " + desired + " hypervisors ready");
        } else if (restart != null) {
            c.set(Conditions.READY, false, Reasons.RESTARTING, restart);
        } else {
            c.set(Conditions.READY, false, Reasons.NOT_ALL_READY, ready + " of " + desired + " hypervisors ready");
        }

        GiantVMStatus s = base(vm, phase, c);
        s.nodes = nodeEntries(vm, slots);
        s.readyNodes = (int) ready;
        s.vcpus = s.nodes.stream().filter(n -> Boolean.TRUE.equals(n.ready)).mapToInt(n -> n.vcpus).sum();
        s.nodesReady = ready + "/" + desired;
        s.restart = phase == Phase.RUNNING ? null : restart;
        return s;
    }

    /**
     * The guest ran to its end and the run strategy keeps the result (Once, or RerunOnFailure after a
     * success): phase Succeeded or Failed, the hypervisor pods removed.
     */
    public static GiantVMStatus finished(GiantVM vm, VmStop stop, Instant now) {
        GiantVMStatus previous = vm.getStatus();
        long generation = vm.getMetadata().getGeneration() == null ? 0 : vm.getMetadata().getGeneration();
        Conditions c = new Conditions(previous == null ? null : previous.conditions, generation, now);
        String why = stop.succeeded() ? Reasons.SUCCEEDED : Reasons.GUEST_FAILED;
        c.set(Conditions.SCHEDULED, false, Reasons.COMPLETED, "the run is over; hypervisor pods removed");
        c.set(Conditions.MESH_CONNECTED, false, Reasons.COMPLETED, "no hypervisors run");
        c.set(Conditions.READY, false, why, stop.reason());
        c.set(Conditions.DEGRADED, false, Reasons.AS_EXPECTED, "no node failed");
        GiantVMStatus s = base(vm, stop.succeeded() ? Phase.SUCCEEDED : Phase.FAILED, c);
        s.readyNodes = 0;
        s.vcpus = 0;
        s.nodesReady = "0/" + s.desiredNodes;
        s.guestResult = stop.result();
        s.guest = stop.guest();
        return s;
    }

    /** No pods by choice or necessity: Halted, an invalid spec, or no capable nodes. */
    public static GiantVMStatus blocked(GiantVM vm, Phase phase, Problem problem, int podsLeft, Instant now) {
        GiantVMStatus previous = vm.getStatus();
        long generation = vm.getMetadata().getGeneration() == null ? 0 : vm.getMetadata().getGeneration();
        Conditions c = new Conditions(previous == null ? null : previous.conditions, generation, now);
        boolean halted = phase == Phase.STOPPED;
        String message = problem.message() + (podsLeft > 0 ? " (" + podsLeft + " pod(s) still terminating)" : "");
        c.set(Conditions.SCHEDULED, false, halted ? Reasons.HALTED : problem.reason(), message);
        c.set(Conditions.MESH_CONNECTED, false, halted ? Reasons.HALTED : Reasons.BLOCKED, "no hypervisors run");
        c.set(Conditions.READY, false, problem.reason(), message);
        c.set(Conditions.DEGRADED, false, Reasons.AS_EXPECTED, "no node failed");
        GiantVMStatus s = base(vm, phase, c);
        s.readyNodes = 0;
        s.vcpus = 0;
        s.nodesReady = "0/" + s.desiredNodes;
        return s;
    }

    private static GiantVMStatus base(GiantVM vm, Phase phase, Conditions c) {
        GiantVMStatus s = new GiantVMStatus();
        s.phase = phase;
        s.conditions = c.build();
        s.observedGeneration = vm.getMetadata().getGeneration();
        s.desiredNodes = vm.getSpec() == null ? null : vm.getSpec().nodes;
        try {
            s.memory = MemorySize.format(MemorySize.parseBytes(vm.getSpec().memory));
        } catch (RuntimeException e) {
            s.memory = vm.getSpec() == null ? null : vm.getSpec().memory;
        }
        return s;
    }

    /** Ready pods have passed the readiness probe, which is SERVING only with a complete mesh. */
    private static boolean meshComplete(NodeSlot s) {
        if (s.report() != null && s.report().reachable()) {
            NodeStatus st = s.report().status();
            return st.getMeshPeersConnected() >= st.getNodeCount() - 1;
        }
        return s.health() != null && s.health().ready();
    }

    /**
     * Nodes whose engine was asked and did not answer: when a guest fails because a node died, those are
     * the ones that died (their kubelet may not have reported it yet).
     */
    private static String silentNodes(List<NodeSlot> slots) {
        List<String> silent = slots.stream().filter(s -> s.pod() != null && s.report() != null && !s.report().reachable())
                .map(s -> "node " + s.index() + " (pod " + s.pod().getMetadata().getName() + ")").toList();
        return silent.isEmpty() ? "" : "; not answering: " + String.join(", ", silent);
    }

    private static String notReady(List<NodeSlot> slots) {
        List<String> names = new ArrayList<>();
        for (NodeSlot s : slots) {
            if (s.health() == null || !s.health().ready()) {
                names.add(s.pod() == null ? "node " + s.index() + " (no pod)" : s.pod().getMetadata().getName());
            }
        }
        return String.join(", ", names);
    }

    private static List<VmNodeStatus> nodeEntries(GiantVM vm, List<NodeSlot> slots) {
        List<VmNodeStatus> out = new ArrayList<>();
        for (NodeSlot s : slots) {
            VmNodeStatus n = new VmNodeStatus();
            n.index = s.index();
            n.pod = s.pod() == null ? null : s.pod().getMetadata().getName();
            n.node = s.pod() == null || s.pod().getSpec() == null ? null : s.pod().getSpec().getNodeName();
            n.ready = s.health() != null && s.health().ready();
            n.vcpus = vm.getSpec().vcpusPerNode;
            n.homeMemoryStart = s.home().start();
            n.homeMemoryEnd = s.home().end();
            if (s.report() != null && s.report().reachable()) {
                NodeStatus st = s.report().status();
                n.vcpus = st.getVcpusRunning();
                n.guestState = st.getGuestState().name().replace("GUEST_STATE_", "");
                n.meshPeersConnected = st.getMeshPeersConnected();
            }
            out.add(n);
        }
        return out;
    }
}
