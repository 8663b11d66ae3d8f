package io.giantvm.operator.reconciler;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.giantvm.operator.crd.GiantVM;
import io.giantvm.operator.resources.Labels;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Plays the parts of a cluster the mock API server lacks: the StatefulSet controller (creates pods
 * from the template, ordinal in the name and the pod-index label), the scheduler and kubelet
 * (places pod i on node-i, marks it ready or failed), and the garbage collector (removes objects
 * whose controller owner is gone). Runs on one named thread, ticking every 50 ms.
 */
final class FakeKubeControllers implements AutoCloseable {
    private final KubernetesClient client;
    private final String namespace;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "fake-kube-controllers"));
    /** Pod name → failure reason the kubelet reports for it. */
    private final Map<String, String> failing = new ConcurrentHashMap<>();
    private volatile boolean holdReadiness;
    /** While set, the "API server" refuses new pods with this message (as Pod Security admission would). */
    private volatile String rejectPods;
    private final Set<String> reportedRejections = ConcurrentHashMap.newKeySet();
    volatile Throwable lastError;

    /** With {@code kubelet} false, pods are left to another kubelet (ProcessKubelet runs real engines). */
    private final boolean kubelet;

    FakeKubeControllers(KubernetesClient client, String namespace) {
        this(client, namespace, true);
    }

    FakeKubeControllers(KubernetesClient client, String namespace, boolean kubelet) {
        this.client = client;
        this.namespace = namespace;
        this.kubelet = kubelet;
        loop.scheduleWithFixedDelay(this::tickSafely, 0, 50, TimeUnit.MILLISECONDS);
    }

    /** The kubelet reports the engine container of {@code pod} as exited with code 1. */
    void failPod(String pod) {
        failing.put(pod, "Error");
    }

    /** The kubelet reports pod {@code pod} healthy again (for pods created from now on, e.g. after a restart). */
    void healPod(String pod) {
        failing.remove(pod);
    }

    /** While held, new pods are placed and running but never ready (e.g. the mesh is still wiring). */
    void holdReadiness(boolean hold) {
        holdReadiness = hold;
    }

    /**
     * Pod creation is refused (null: allowed again). Like the real StatefulSet controller, the refusal
     * shows only as a FailedCreate Warning event on the StatefulSet.
     */
    void rejectPodCreation(String message) {
        rejectPods = message;
    }

    private void tickSafely() {
        try {
            tick();
        } catch (KubernetesClientException e) {
            // The operator races with us (e.g. deletes a StatefulSet mid-tick): the next tick converges.
            lastError = e;
        } catch (RuntimeException e) {
            lastError = e;
        }
    }

    private void tick() {
        List<StatefulSet> sets = client.apps().statefulSets().inNamespace(namespace).list().getItems();
        List<Pod> pods = client.pods().inNamespace(namespace).list().getItems();
        for (StatefulSet sts : sets) {
            runStatefulSet(sts, pods);
        }
        collectGarbage(sets, pods);
        if (!kubelet) {
            return;
        }
        for (Pod p : client.pods().inNamespace(namespace).list().getItems()) {
            runKubelet(p);
        }
    }

    private void runStatefulSet(StatefulSet sts, List<Pod> pods) {
        String name = sts.getMetadata().getName();
        int replicas = sts.getSpec().getReplicas();
        Set<String> existing = pods.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
        for (int i = 0; i < replicas; i++) {
            String podName = name + "-" + i;
            if (existing.contains(podName)) {
                continue;
            }
            if (rejectPods != null) {
                if (reportedRejections.add(sts.getMetadata().getUid() + "/" + podName)) {
                    client.v1().events().inNamespace(namespace).resource(new io.fabric8.kubernetes.api.model.EventBuilder()
                            .withNewMetadata().withName(podName + ".failedcreate").withNamespace(namespace).endMetadata()
                            .withNewInvolvedObject().withApiVersion("apps/v1").withKind("StatefulSet").withName(name)
                            .withNamespace(namespace).withUid(sts.getMetadata().getUid()).endInvolvedObject()
                            .withType("Warning").withReason("FailedCreate")
                            .withMessage("create Pod " + podName + " in StatefulSet " + name + " failed error: " + rejectPods)
                            .withLastTimestamp(java.time.Instant.now().toString())
                            .build()).createOr(r -> r.update());
                }
                continue;
            }
            Map<String, String> labels = new HashMap<>(sts.getSpec().getTemplate().getMetadata().getLabels());
            labels.put(Labels.POD_INDEX, Integer.toString(i));
            client.resource(new PodBuilder()
                    .withNewMetadata().withName(podName).withNamespace(namespace).withLabels(labels)
                    .withAnnotations(sts.getSpec().getTemplate().getMetadata().getAnnotations())
                    .withOwnerReferences(controller(sts)).endMetadata()
                    .withSpec(sts.getSpec().getTemplate().getSpec())
                    .build()).create();
        }
        for (Pod p : pods) {
            if (ownedBy(p, sts) && index(p) >= replicas) {
                client.resource(p).delete();
            }
        }
    }

    private void runKubelet(Pod p) {
        String reason = failing.get(p.getMetadata().getName());
        PodStatus desired = reason != null ? failed(reason)
                : holdReadiness && !isReady(p) ? running(false) : running(true);
        if (p.getSpec().getNodeName() == null) {
            p.getSpec().setNodeName("node-" + index(p));
            p.setStatus(desired);
            client.resource(p).update();
            return;
        }
        if (!sameStatus(p.getStatus(), desired)) {
            p.setStatus(desired);
            client.resource(p).updateStatus();
        }
    }

    private void collectGarbage(List<StatefulSet> sets, List<Pod> pods) {
        Set<String> setUids = sets.stream().map(s -> s.getMetadata().getUid()).collect(Collectors.toSet());
        for (Pod p : pods) {
            OwnerReference owner = controllerOf(p);
            if (owner != null && "StatefulSet".equals(owner.getKind()) && !setUids.contains(owner.getUid())) {
                client.resource(p).delete();
            }
        }
        Set<String> vmUids = client.resources(GiantVM.class).inNamespace(namespace).list().getItems().stream()
                .map(v -> v.getMetadata().getUid()).collect(Collectors.toSet());
        Stream.of(sets.stream(),
                        client.services().inNamespace(namespace).list().getItems().stream(),
                        client.configMaps().inNamespace(namespace).list().getItems().stream(),
                        client.policy().v1().podDisruptionBudget().inNamespace(namespace).list().getItems().stream(),
                        client.network().v1().networkPolicies().inNamespace(namespace).list().getItems().stream())
                .<HasMetadata>flatMap(x -> x)
                .filter(o -> {
                    OwnerReference owner = controllerOf(o);
                    return owner != null && "GiantVM".equals(owner.getKind()) && !vmUids.contains(owner.getUid());
                })
                .forEach(o -> client.resource(o).delete());
    }

    private static PodStatus running(boolean ready) {
        return new PodStatusBuilder().withPhase("Running").withPodIP("127.0.0.1")
                .addNewCondition().withType("PodScheduled").withStatus("True").endCondition()
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .withContainerStatuses(new ContainerStatusBuilder().withName("engine").withReady(ready)
                        .withRestartCount(0).withNewState().withNewRunning().endRunning().endState().build())
                .build();
    }

    private static PodStatus failed(String reason) {
        return new PodStatusBuilder().withPhase("Running").withPodIP("127.0.0.1")
                .addNewCondition().withType("PodScheduled").withStatus("True").endCondition()
                .addNewCondition().withType("Ready").withStatus("False").endCondition()
                .withContainerStatuses(new ContainerStatusBuilder().withName("engine").withReady(false)
                        .withRestartCount(1).withNewState().withNewTerminated().withExitCode(1).withReason(reason)
                        .endTerminated().endState().build())
                .build();
    }

    private static boolean isReady(Pod p) {
        return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions()
                .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static boolean sameStatus(PodStatus a, PodStatus b) {
        return a != null && a.getConditions() != null && a.getConditions().equals(b.getConditions())
                && a.getContainerStatuses() != null && a.getContainerStatuses().equals(b.getContainerStatuses());
    }

    private static OwnerReference controller(HasMetadata owner) {
        return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                .withController(true).build();
    }

    private static OwnerReference controllerOf(HasMetadata o) {
        return o.getMetadata().getOwnerReferences() == null ? null : o.getMetadata().getOwnerReferences().stream()
                .filter(r -> Boolean.TRUE.equals(r.getController())).findFirst().orElse(null);
    }

    private static boolean ownedBy(Pod p, StatefulSet sts) {
        OwnerReference owner = controllerOf(p);
        return owner != null && sts.getMetadata().getUid().equals(owner.getUid());
    }

    private static int index(Pod p) {
        String name = p.getMetadata().getName();
        return Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
    }

    @Override
    public void close() throws InterruptedException {
        loop.shutdownNow();
        loop.awaitTermination(5, TimeUnit.SECONDS);
    }
}
