package io.giantvm.operator.reconciler;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.giantvm.operator.crd.GiantVM;
import io.giantvm.operator.crd.GiantVMStatus;
import io.giantvm.operator.crd.MemorySize;
import io.giantvm.operator.crd.Phase;
import io.giantvm.operator.crd.RunStrategy;
import io.giantvm.operator.engine.EngineReport;
import io.giantvm.operator.engine.EngineStatusProbe;
import io.giantvm.operator.resources.DescriptionConfigMapFactory;
import io.giantvm.operator.resources.DisruptionBudgetFactory;
import io.giantvm.operator.resources.MeshNetworkPolicyFactory;
import io.giantvm.operator.resources.EngineLayout;
import io.giantvm.operator.resources.Hashes;
import io.giantvm.operator.resources.HomeRanges;
import io.giantvm.operator.resources.HypervisorStatefulSetFactory;
import io.giantvm.operator.resources.Labels;
import io.giantvm.operator.resources.MeshServiceFactory;
import io.giantvm.operator.resources.VmDescriptionWriter;
import io.giantvm.operator.runtime.OperatorSettings;
import io.giantvm.operator.status.Conditions;
import io.giantvm.operator.status.NodeSlot;
import io.giantvm.operator.status.PodHealth;
import io.giantvm.operator.status.Reasons;
import io.giantvm.operator.status.StatusComposer;
import io.giantvm.operator.status.VmStop;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * GiantVM → headless Service + VM description ConfigMap + StatefulSet of hypervisor pods, and a
 * truthful status. Each pass: observe (cached StatefulSet and pods) → validate → reconcile owned
 * objects → compose the status, written once.
 *
 * <p>A spec change is a restart of the whole VM (a VM cannot grow or change live yet): the
 * StatefulSet's template changes and every pod started from an older template is deleted, so all
 * nodes come back together with the new description.
 */
@ControllerConfiguration(name = GiantVmReconciler.NAME)
public final class GiantVmReconciler implements Reconciler<GiantVM> {
    public static final String NAME = "giantvm";
    private static final Logger LOG = Logger.getLogger(GiantVmReconciler.class.getName());
    /** The engine's mesh state changes without any Kubernetes event; poll it this often while settling. */

    private final OperatorSettings settings;
    private final EngineStatusProbe engines;
    private final Clock clock;
    /**
     * The VM as this operator last wrote it, by UID: the informer cache may not have seen our latest
     * status write yet, and comparing against the cached one would write it again and repeat its events.
     */
    private final Map<String, GiantVM> written = new java.util.concurrent.ConcurrentHashMap<>();

    public GiantVmReconciler(OperatorSettings settings, EngineStatusProbe engines, Clock clock) {
        this.settings = settings;
        this.engines = engines;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, GiantVM>> prepareEventSources(EventSourceContext<GiantVM> context) {
        return List.of(
                new InformerEventSource<>(InformerEventSourceConfiguration.from(StatefulSet.class, GiantVM.class)
                        .withLabelSelector(Labels.VM).withSecondaryToPrimaryMapper(byVmLabel()).build(), context),
                new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, GiantVM.class)
                        .withLabelSelector(Labels.VM).withSecondaryToPrimaryMapper(byVmLabel()).build(), context));
    }

    private static <R extends HasMetadata> SecondaryToPrimaryMapper<R> byVmLabel() {
        return r -> {
            String vm = r.getMetadata().getLabels() == null ? null : r.getMetadata().getLabels().get(Labels.VM);
            return vm == null ? Set.of() : Set.of(new ResourceID(vm, r.getMetadata().getNamespace()));
        };
    }

    @Override
    public UpdateControl<GiantVM> reconcile(GiantVM cached, Context<GiantVM> context) {
        KubernetesClient client = context.getClient();
        GiantVM vm = withNewestStatus(cached);
        EventRecorder events = new EventRecorder(client, clock);
        Optional<StatefulSet> statefulSet = context.getSecondaryResource(StatefulSet.class);
        // Listed fresh each pass (at most 64 pods): the pod informer only triggers reconciliations; a
        // cache that lags behind a restart's deletions would otherwise count pods that are gone.
        List<Pod> pods = client.pods().inNamespace(vm.getMetadata().getNamespace())
                .withLabel(Labels.VM, vm.getMetadata().getName()).list().getItems();

        Optional<Problem> invalid = SpecValidator.check(vm);
        if (invalid.isPresent()) {
            removeHypervisors(client, vm);
            return finish(vm, StatusComposer.blocked(vm, Phase.FAILED, invalid.get(), pods.size(), clock.instant()),
                    events, Optional.of(invalid.get()));
        }
        if (vm.getSpec().runStrategyOrDefault() == RunStrategy.HALTED) {
            removeHypervisors(client, vm);
            Problem halted = new Problem(Reasons.HALTED,
                    "runStrategy is Halted: hypervisor pods removed, the resource is kept");
            return finish(vm, StatusComposer.blocked(vm, Phase.STOPPED, halted, pods.size(), clock.instant()),
                    events, Optional.empty());
        }
        if (runIsOver(vm)) {
            // Once (or RerunOnFailure after a success) and this generation has run: keep the result, no pods.
            removeHypervisors(client, vm);
            return finish(vm, vm.getStatus(), events, Optional.empty());
        }
        if (statefulSet.isEmpty() && settings.checkNodes()) {
            Optional<Problem> noNodes = NodeCapacityCheck.check(client, settings, vm.getSpec());
            if (noNodes.isPresent()) {
                return finish(vm, StatusComposer.blocked(vm, Phase.PENDING, noNodes.get(), 0, clock.instant()),
                        events, noNodes);
            }
        }

        String name = vm.getMetadata().getName();
        String namespace = vm.getMetadata().getNamespace();
        OwnedResourceWriter writer = new OwnedResourceWriter(client);
        String description = VmDescriptionWriter.write(vm, settings.clusterDomain());
        writer.apply(MeshServiceFactory.desired(vm),
                client.services().inNamespace(namespace).withName(EngineLayout.meshServiceName(name)).get());
        writer.apply(DescriptionConfigMapFactory.desired(vm, description),
                client.configMaps().inNamespace(namespace).withName(EngineLayout.configMapName(name)).get());
        writer.apply(DisruptionBudgetFactory.desired(vm), client.policy().v1().podDisruptionBudget()
                .inNamespace(namespace).withName(EngineLayout.disruptionBudgetName(name)).get());
        writer.apply(MeshNetworkPolicyFactory.desired(vm), client.network().v1().networkPolicies()
                .inNamespace(namespace).withName(EngineLayout.networkPolicyName(name)).get());
        HypervisorStatefulSetFactory.Desired desired =
                HypervisorStatefulSetFactory.desired(vm, settings, Hashes.of(description));

        // Read fresh, not from the informer cache: the restart bookkeeping lives in its annotations,
        // and a cache one update behind would see a restart that was already started.
        StatefulSet current = client.apps().statefulSets().inNamespace(namespace).withName(name).get();
        String runningHash = annotation(current, Labels.RUNNING_HASH);
        String restart = annotation(current, Labels.RESTART_REASON);
        if (current != null && !desired.podHash().equals(templateHash(current))) {
            String why = restartMessage(current, vm);
            restart = why;
            events.normal(vm, Reasons.RESTARTING, why);
            LOG.info(() -> "restarting " + namespace + "/" + name + ": " + why);
        }
        writer.apply(withBookkeeping(desired.statefulSet(), runningHash, restart), current);
        deleteStalePods(client, pods, desired.podHash());

        List<NodeSlot> slots = observe(vm, pods, desired.podHash());
        Optional<VmStop> stop = VmStop.detect(slots);
        RunStrategy strategy = vm.getSpec().runStrategyOrDefault();
        if (stop.isPresent() && (strategy == RunStrategy.ONCE
                || strategy == RunStrategy.RERUN_ON_FAILURE && stop.get().succeeded())) {
            removeHypervisors(client, vm);
            return finish(vm, StatusComposer.finished(vm, stop.get(), clock.instant()), events, Optional.empty());
        }
        Integer restarts = null;
        String lastRestartReason = null;
        if (stop.isPresent()) {
            // The guest is gone with any of its nodes: every node starts again, together.
            restart = stop.get().reason() + ": restarting the whole VM (runStrategy " + strategy.name() + ")";
            restarts = restartCount(vm) + 1;
            lastRestartReason = stop.get().reason();
            String why = restart;
            if (stop.get().succeeded()) {
                events.normal(vm, Reasons.RESTARTING, why);
            } else {
                events.warning(vm, Reasons.RESTARTING, why);
            }
            LOG.info(() -> "restarting " + namespace + "/" + name + ": " + why);
            StatefulSet latest = client.apps().statefulSets().inNamespace(namespace).withName(name).get();
            writer.apply(withBookkeeping(HypervisorStatefulSetFactory.desired(vm, settings, Hashes.of(description))
                    .statefulSet(), null, restart), latest);
            runningHash = null;
            deleteAll(client, pods);
        }
        boolean hasRun = desired.podHash().equals(runningHash);
        String createFailure = slots.stream().anyMatch(s -> s.pod() == null)
                ? CreateFailures.latest(client, current).orElse(null) : null;
        GiantVMStatus status = StatusComposer.observed(vm, slots, hasRun, restart, createFailure,
                stop.filter(st -> !st.succeeded()).map(VmStop::reason).orElse(null), clock.instant());
        if (stop.isPresent()) {
            status.restarts = restarts;
            status.lastRestartReason = lastRestartReason;
            status.guestResult = stop.get().result();
            status.guest = stop.get().guest();
        }
        if (status.phase == Phase.RUNNING && (!hasRun || restart != null)) {
            // Running with this template from now on; a later loss of a node is Degraded, and the restart is over.
            StatefulSet latest = client.apps().statefulSets().inNamespace(namespace).withName(name).get();
            writer.apply(withBookkeeping(HypervisorStatefulSetFactory.desired(vm, settings, Hashes.of(description))
                    .statefulSet(), desired.podHash(), null), latest);
        }
        Optional<Problem> trouble = status.conditions.stream()
                .filter(c -> c.getType().equals(Conditions.SCHEDULED) && (Reasons.UNSCHEDULABLE.equals(c.getReason())
                        || Reasons.FAILED_CREATE.equals(c.getReason())))
                .map(c -> new Problem(c.getReason(), c.getMessage()))
                .findFirst();
        return finish(vm, status, events, trouble);
    }

    private static StatefulSet withBookkeeping(StatefulSet sts, String runningHash, String restart) {
        Map<String, String> annotations = new java.util.LinkedHashMap<>();
        if (runningHash != null) {
            annotations.put(Labels.RUNNING_HASH, runningHash);
        }
        if (restart != null) {
            annotations.put(Labels.RESTART_REASON, restart);
        }
        sts.getMetadata().setAnnotations(annotations);
        return sts;
    }

    private static String annotation(StatefulSet sts, String key) {
        return sts == null || sts.getMetadata().getAnnotations() == null ? null : sts.getMetadata().getAnnotations().get(key);
    }

    private static String templateHash(StatefulSet sts) {
        Map<String, String> labels = sts.getSpec().getTemplate().getMetadata().getLabels();
        return labels == null ? null : labels.get(Labels.POD_HASH);
    }

    private static String restartMessage(StatefulSet old, GiantVM vm) {
        Integer before = old.getSpec().getReplicas();
        String what = before != null && !before.equals(vm.getSpec().nodes)
                ? "nodes " + before + " -> " + vm.getSpec().nodes : "spec changed";
        return what + ": restarting all hypervisors together (a VM cannot grow or change live yet)";
    }

    /** By name, not from the cache: a StatefulSet created a moment ago may not be cached yet. */
    private static void removeHypervisors(KubernetesClient client, GiantVM vm) {
        // Background: the garbage collector removes the pods; the status counts them until gone.
        client.apps().statefulSets().inNamespace(vm.getMetadata().getNamespace())
                .withName(vm.getMetadata().getName())
                .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    }

    /** Whole-VM restarts so far, from the newest status this operator knows. */
    private static int restartCount(GiantVM vm) {
        return vm.getStatus() == null || vm.getStatus().restarts == null ? 0 : vm.getStatus().restarts;
    }

    /**
     * A run-to-completion VM whose current generation has finished: its result stands until the spec
     * changes (a new generation runs again).
     */
    private static boolean runIsOver(GiantVM vm) {
        RunStrategy strategy = vm.getSpec().runStrategyOrDefault();
        GiantVMStatus s = vm.getStatus();
        if (s == null || s.guestResult == null || s.observedGeneration == null
                || !s.observedGeneration.equals(vm.getMetadata().getGeneration())) {
            return false;
        }
        return strategy == RunStrategy.ONCE && (s.phase == Phase.SUCCEEDED || s.phase == Phase.FAILED)
                || strategy == RunStrategy.RERUN_ON_FAILURE && s.phase == Phase.SUCCEEDED;
    }

    /** Every hypervisor of the VM at once; the StatefulSet controller creates them anew (OnDelete). */
    private static void deleteAll(KubernetesClient client, List<Pod> pods) {
        for (Pod p : pods) {
            if (p.getMetadata().getDeletionTimestamp() == null) {
                client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName()).delete();
            }
        }
    }

    /** Pods of an older template: OnDelete means the StatefulSet controller replaces them once gone. */
    private static void deleteStalePods(KubernetesClient client, List<Pod> pods, String podHash) {
        for (Pod p : pods) {
            if (p.getMetadata().getDeletionTimestamp() == null
                    && !podHash.equals(p.getMetadata().getLabels().get(Labels.POD_HASH))) {
                client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName()).delete();
            }
        }
    }

    private List<NodeSlot> observe(GiantVM vm, List<Pod> pods, String podHash) {
        String name = vm.getMetadata().getName();
        List<HomeRanges.Range> homes = HomeRanges.split(MemorySize.parseBytes(vm.getSpec().memory), vm.getSpec().nodes);
        List<NodeSlot> slots = new ArrayList<>();
        for (int i = 0; i < vm.getSpec().nodes; i++) {
            String podName = name + "-" + i;
            Optional<Pod> pod = pods.stream()
                    .filter(p -> p.getMetadata().getName().equals(podName))
                    .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                    .filter(p -> podHash.equals(p.getMetadata().getLabels().get(Labels.POD_HASH)))
                    .findFirst();
            if (pod.isEmpty()) {
                slots.add(new NodeSlot(i, null, null, null, homes.get(i)));
                continue;
            }
            PodHealth health = PodHealth.of(pod.get());
            EngineReport report = health.scheduled() && health.failure() == null && settings.queryEngines()
                    ? engines.query(pod.get()) : null;
            slots.add(new NodeSlot(i, pod.get(), health, report, homes.get(i)));
        }
        return slots;
    }

    /** Writes the status once, and tells people (events) about phase changes and scheduling trouble. */
    private UpdateControl<GiantVM> finish(GiantVM vm, GiantVMStatus status, EventRecorder events,
                                          Optional<Problem> trouble) {
        GiantVMStatus previous = vm.getStatus();
        if (previous != null && status != previous) {
            // History outlives each pass's observation: restarts, why the last one, the last guest result.
            status.restarts = status.restarts != null ? status.restarts : previous.restarts;
            status.lastRestartReason = status.lastRestartReason != null ? status.lastRestartReason
                    : previous.lastRestartReason;
            status.guestResult = status.guestResult != null ? status.guestResult : previous.guestResult;
            status.guest = status.guest != null ? status.guest : previous.guest;
        }
        Phase before = previous == null ? null : previous.phase;
        if (before != status.phase) {
            String why = status.phase == Phase.DEGRADED ? Conditions.DEGRADED : Conditions.READY;
            String ready = status.conditions.stream().filter(c -> c.getType().equals(why))
                    .map(c -> c.getMessage()).findFirst().orElse("");
            String result = status.phase == Phase.SUCCEEDED || status.phase == Phase.FAILED && status.guestResult != null
                    ? " (" + status.guestResult.detail + ")" : "";
            String message = "phase " + (before == null ? "(none)" : before.display()) + " -> "
                    + status.phase.display() + ": " + ready + result;
            boolean bad = status.phase == Phase.DEGRADED || status.phase == Phase.FAILED;
            if (bad) {
                events.warning(vm, status.phase.display(), message);
            } else {
                events.normal(vm, status.phase.display(), message);
            }
            LOG.info(() -> vm.getMetadata().getNamespace() + "/" + vm.getMetadata().getName() + " " + message);
        }
        if (trouble.isPresent() && !sameTrouble(previous, trouble.get())) {
            events.warning(vm, trouble.get().reason(), trouble.get().message());
        }
        Duration recheck = status.phase == Phase.RUNNING || status.phase == Phase.STOPPED
                || status.phase == Phase.FAILED || status.phase == Phase.SUCCEEDED
                ? settings.steadyRecheck() : settings.settlingRecheck();
        if (!status.equals(previous)) {
            StatusWriter.write(events.client(), vm, status)
                    .ifPresentOrElse(w -> written.put(w.getMetadata().getUid(), w),
                            () -> written.remove(vm.getMetadata().getUid()));
        }
        // The status is written above, never by the framework from the (lagging) cached object.
        return UpdateControl.<GiantVM>noUpdate().rescheduleAfter(recheck);
    }

    /**
     * The cached VM with the status this operator last wrote when the cache has not caught up with it
     * yet (a write bumps the resourceVersion, so an older cached version cannot include it). A copy:
     * the cached object belongs to the informer.
     */
    private GiantVM withNewestStatus(GiantVM cached) {
        GiantVM mine = written.get(cached.getMetadata().getUid());
        if (mine == null) {
            return cached;
        }
        if (!olderThan(cached, mine)) {
            // The cache has caught up: forget the copy, so entries of VMs deleted since do not pile up.
            written.remove(cached.getMetadata().getUid(), mine);
            return cached;
        }
        GiantVM view = new GiantVM();
        view.setMetadata(cached.getMetadata());
        view.setSpec(cached.getSpec());
        view.setStatus(mine.getStatus());
        return view;
    }

    /** resourceVersions are opaque, but etcd's (and the mock's) are increasing integers; otherwise trust the cache. */
    private static boolean olderThan(GiantVM a, GiantVM b) {
        try {
            return Long.parseLong(a.getMetadata().getResourceVersion()) < Long.parseLong(b.getMetadata().getResourceVersion());
        } catch (NumberFormatException | NullPointerException e) {
            return false;
        }
    }

    private static boolean sameTrouble(GiantVMStatus previous, Problem trouble) {
        return previous != null && previous.conditions != null && previous.conditions.stream()
                .anyMatch(c -> trouble.reason().equals(c.getReason()) && trouble.message().equals(c.getMessage()));
    }
}
