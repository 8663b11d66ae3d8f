package io.giantvm.operator.status;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One hypervisor pod as Kubernetes reports it.
 *
 * @param scheduled     placed on a node
 * @param unschedulable the scheduler's message when it cannot place the pod, else null
 * @param ready         the Ready condition (the readiness probe waits for the full mesh)
 * @param failure       why the pod is broken (failed, crash-looping, image missing), else null
 */
public record PodHealth(boolean scheduled, String unschedulable, boolean ready, String failure) {

    /** Waiting reasons that will not cure themselves without someone acting. */
    private static final Set<String> STUCK = Set.of("CrashLoopBackOff", "ErrImagePull", "ImagePullBackOff",
            "InvalidImageName", "CreateContainerConfigError", "CreateContainerError", "RunContainerError");

    public static PodHealth of(Pod pod) {
        var status = pod.getStatus();
        boolean scheduled = pod.getSpec() != null && pod.getSpec().getNodeName() != null
                && !pod.getSpec().getNodeName().isBlank();
        List<PodCondition> conditions = status == null || status.getConditions() == null ? List.of()
                : status.getConditions();
        String unschedulable = conditions.stream()
                .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())
                        && "Unschedulable".equals(c.getReason()))
                .map(c -> c.getMessage() == null ? "unschedulable" : c.getMessage())
                .findFirst().orElse(null);
        boolean ready = conditions.stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        return new PodHealth(scheduled, unschedulable, ready, failure(pod).orElse(null));
    }

    private static Optional<String> failure(Pod pod) {
        var status = pod.getStatus();
        if (status == null) {
            return Optional.empty();
        }
        if ("Failed".equals(status.getPhase())) {
            return Optional.of("pod failed" + (status.getReason() == null ? "" : ": " + status.getReason())
                    + (status.getMessage() == null ? "" : " (" + status.getMessage() + ")"));
        }
        List<ContainerStatus> containers = status.getContainerStatuses() == null ? List.of()
                : status.getContainerStatuses();
        for (ContainerStatus c : containers) {
            ContainerStateWaiting waiting = c.getState() == null ? null : c.getState().getWaiting();
            if (waiting != null && STUCK.contains(waiting.getReason())) {
                return Optional.of(waiting.getReason() + (waiting.getMessage() == null ? "" : ": " + waiting.getMessage()));
            }
            ContainerStateTerminated terminated = c.getState() == null ? null : c.getState().getTerminated();
            if (terminated != null && terminated.getExitCode() != null && terminated.getExitCode() != 0) {
                return Optional.of("engine exited with code " + terminated.getExitCode()
                        + (terminated.getReason() == null ? "" : " (" + terminated.getReason() + ")"));
            }
            // A restarted engine was a dead node: with --stay-up it never exits by itself, and a node
            // that came back alone cannot rejoin its VM's guest.
            if (c.getRestartCount() != null && c.getRestartCount() > 0) {
                ContainerStateTerminated last = c.getLastState() == null ? null : c.getLastState().getTerminated();
                return Optional.of("engine died and was restarted " + c.getRestartCount() + " time(s)"
                        + (last == null || last.getExitCode() == null ? "" : " (last exit code " + last.getExitCode()
                        + (last.getReason() == null ? "" : ", " + last.getReason()) + ")"));
            }
        }
        return Optional.empty();
    }
}
