package io.giantvm.operator.resources;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.giantvm.operator.crd.GiantVM;
import io.giantvm.operator.crd.GiantVMSpec;
import io.giantvm.operator.crd.GuestKind;
import io.giantvm.operator.crd.MemorySize;
import io.giantvm.operator.crd.Transport;
import io.giantvm.operator.runtime.OperatorSettings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The StatefulSet of hypervisor pods: ordinal = node index, one pod per machine.
 *
 * <p>Choices that matter:
 * <ul>
 * <li>A StatefulSet, not pods owned directly: it gives each node its stable name and DNS entry
 *     ({@code <vm>-i.<vm>-mesh}), which the VM description names, and recreates whatever pod the
 *     operator deletes; the operator keeps every decision that matters to a VM (restart all nodes
 *     together, or keep a finished run's result) because the engine never exits by itself
 *     ({@code --stay-up}) and every pod is deleted together (OnDelete). Kubelet restarts of one
 *     container are seen as a dead node (restartCount) and turned into a whole-VM restart.</li>
 * <li>podManagementPolicy Parallel: with OrderedReady, pod 1 would wait for pod 0 to be ready, and
 *     pod 0 is only ready once its mesh includes pod 1: a deadlock.</li>
 * <li>updateStrategy OnDelete: the nodes of one VM share one guest; a rolling update would mix two
 *     descriptions in one mesh. The reconciler restarts all pods together instead.</li>
 * <li>The ordinal reaches the engine as {@code POD_INDEX} from the {@code apps.kubernetes.io/pod-index}
 *     label (downward API, Kubernetes 1.28+), falling back to the hostname's suffix
 *     ({@code <vm>-<ordinal>}, always true for StatefulSet pods) on older clusters.</li>
 * <li>Not privileged by default: /dev/kvm comes from the KVM device plugin's resource. The engine
 *     needs CAP_SYS_PTRACE because KVM touches guest RAM from kernel mode and userfaultfd only
 *     reports kernel-mode faults to privileged callers (vm.unprivileged_userfaultfd=0); RDMA adds
 *     IPC_LOCK to pin registered memory. The seccomp profile is RuntimeDefault, which Pod Security
 *     {@code baseline} admits: containerd's default profile allows userfaultfd to a container that
 *     holds CAP_SYS_PTRACE. CRI-O's default profile does not; there, install a Localhost profile that
 *     adds userfaultfd (README). {@code privileged} in the operator's settings is the escape hatch for
 *     clusters without a KVM device plugin.</li>
 * <li>The pod hash covers only what the GiantVM itself decides (its description, image, placement,
 *     resources), sorted: operator settings (default image, KVM selector, service account) reach each
 *     VM lazily, at its next restart, instead of restarting every guest when the operator restarts
 *     or is reconfigured.</li>
 * </ul>
 */
public final class HypervisorStatefulSetFactory {
    private static final String KUBERNETES_HOSTNAME = "kubernetes.io/hostname";
    /** Liveness gives the engine time to load the guest and map its RAM before the first check. */
    private static final int LIVENESS_INITIAL_DELAY_SECONDS = 15;
    private static final int PROBE_PERIOD_SECONDS = 5;
    private static final int LIVENESS_FAILURES = 3;
    /**
     * Readiness: the mesh of a running VM does not drop for one slow answer; three misses in a row
     * (15 s) before a node is reported not ready.
     */
    private static final int READINESS_FAILURES = 3;
    private static final int PROBE_TIMEOUT_SECONDS = 2;
    /**
     * Startup: loading the guest and mapping its RAM; liveness waits until this passes once. 60 x 5 s:
     * a large guest on a loaded machine, and the engine answers liveness as soon as it serves at all.
     */
    private static final int STARTUP_FAILURES = 60;
    /**
     * Memory the engine needs besides guest RAM: JVM heap and code, gRPC and mesh buffers. A node may
     * hold every page of the guest (the DSM moves pages to where they are used), so the request is the
     * whole guest plus this.
     */
    static final long ENGINE_OVERHEAD_BYTES = 384L << 20;
    /** Short grace: the guest has no disk to flush, and a restart of the whole VM waits for it. */
    private static final long TERMINATION_GRACE_SECONDS = 10;

    private HypervisorStatefulSetFactory() {}

    /** The pod template's hash labels every pod; pods with another hash belong to an older spec. */
    public record Desired(StatefulSet statefulSet, String podHash) {}

    public static Desired desired(GiantVM vm, OperatorSettings settings, String descriptionHash) {
        String name = vm.getMetadata().getName();
        GiantVMSpec spec = vm.getSpec();
        PodTemplateSpec template = podTemplate(vm, settings, descriptionHash);
        String podHash = podHash(vm, descriptionHash);
        template.getMetadata().getLabels().put(Labels.POD_HASH, podHash);
        StatefulSet sts = new StatefulSetBuilder()
                .withMetadata(Owned.meta(vm, name))
                .withNewSpec()
                .withReplicas(spec.nodes)
                .withServiceName(EngineLayout.meshServiceName(name))
                .withPodManagementPolicy("Parallel")
                .withNewUpdateStrategy().withType("OnDelete").endUpdateStrategy()
                .withNewSelector().withMatchLabels(Labels.selector(name)).endSelector()
                .withTemplate(template)
                .endSpec()
                .build();
        return new Desired(sts, podHash);
    }

    /**
     * What decides whether running pods are stale: the VM's description and the parts of its spec that
     * shape a pod, never the operator's own settings. Serialized with sorted keys (Hashes.ofCanonical).
     */
    static String podHash(GiantVM vm, String descriptionHash) {
        GiantVMSpec spec = vm.getSpec();
        Map<String, Object> inputs = new TreeMap<>();
        inputs.put("description", descriptionHash);
        inputs.put("image", spec.image);
        inputs.put("nodeSelector", spec.nodeSelector);
        inputs.put("tolerations", spec.tolerations);
        inputs.put("resources", spec.resources);
        inputs.put("transport", spec.transportOrDefault().wire());
        // Only when set, so that the hashes of VMs without a guest volume stay what they were (no restart).
        guestClaim(spec).ifPresent(claim -> inputs.put("guestVolume", claim));
        return Hashes.ofCanonical(inputs);
    }

    /** The claim of a {@code kind: kernel} guest's files (spec.guest.volume), when there is one. */
    static Optional<String> guestClaim(GiantVMSpec spec) {
        return spec.guestKind() == GuestKind.KERNEL && spec.guest.volume != null ? Optional.of(spec.guest.volume)
                : Optional.empty();
    }

    static PodTemplateSpec podTemplate(GiantVM vm, OperatorSettings settings, String descriptionHash) {
        String name = vm.getMetadata().getName();
        GiantVMSpec spec = vm.getSpec();
        Map<String, String> nodeSelector = new LinkedHashMap<>(settings.kvmNodeSelector());
        if (spec.nodeSelector != null) {
            nodeSelector.putAll(spec.nodeSelector);
        }
        List<Volume> volumes = new ArrayList<>();
        volumes.add(new VolumeBuilder().withName(EngineLayout.CONFIG_VOLUME)
                .withNewConfigMap().withName(EngineLayout.configMapName(name)).endConfigMap().build());
        // Read-only twice over (the claim and the mount): the guest's files are shared by every node of
        // every VM that names them, and the engine only reads them.
        guestClaim(spec).ifPresent(claim -> volumes.add(new VolumeBuilder().withName(EngineLayout.GUEST_VOLUME)
                .withNewPersistentVolumeClaim().withClaimName(claim).withReadOnly(true).endPersistentVolumeClaim()
                .build()));
        return new PodTemplateSpecBuilder()
                .withNewMetadata()
                .withLabels(new LinkedHashMap<>(Labels.common(name)))
                .withAnnotations(Map.of(Labels.DESCRIPTION_HASH, descriptionHash))
                .endMetadata()
                .withNewSpec()
                .withNodeSelector(nodeSelector.isEmpty() ? null : nodeSelector)
                .withTolerations(spec.tolerations)
                .withAffinity(onePerMachine(name))
                // The engine never talks to the API server.
                .withAutomountServiceAccountToken(false)
                .withServiceAccountName(settings.engineServiceAccount().isEmpty() ? null
                        : settings.engineServiceAccount())
                .withEnableServiceLinks(false)
                .withTerminationGracePeriodSeconds(TERMINATION_GRACE_SECONDS)
                .withContainers(engineContainer(vm, settings))
                .withVolumes(volumes)
                .endSpec()
                .build();
    }

    private static Affinity onePerMachine(String vm) {
        return new AffinityBuilder()
                .withNewPodAntiAffinity()
                .addNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withNewLabelSelector().withMatchLabels(Labels.selector(vm)).endLabelSelector()
                .withTopologyKey(KUBERNETES_HOSTNAME)
                .endRequiredDuringSchedulingIgnoredDuringExecution()
                .endPodAntiAffinity()
                .build();
    }

    private static Container engineContainer(GiantVM vm, OperatorSettings settings) {
        GiantVMSpec spec = vm.getSpec();
        boolean rdma = spec.transportOrDefault() == Transport.RDMA;
        String image = spec.image == null || spec.image.isBlank() ? settings.engineImage() : spec.image;
        List<VolumeMount> mounts = new ArrayList<>();
        mounts.add(new VolumeMountBuilder().withName(EngineLayout.CONFIG_VOLUME).withMountPath(EngineLayout.CONFIG_DIR)
                .withReadOnly(true).build());
        guestClaim(spec).ifPresent(claim -> mounts.add(new VolumeMountBuilder().withName(EngineLayout.GUEST_VOLUME)
                .withMountPath(EngineLayout.GUEST_DIR).withReadOnly(true).build()));
        return new ContainerBuilder()
                .withName(EngineLayout.CONTAINER_NAME)
                .withImage(image)
                .withCommand("/bin/sh", "-c",
                        // --stay-up: never exit by itself (no mesh deadline; after the guest stops,
                        // report its outcome and wait): the operator restarts the whole VM or keeps the result.
                        "exec giantvm node --config " + EngineLayout.CONFIG_PATH
                                + " --id \"${POD_INDEX:-${HOSTNAME##*-}}\" --stay-up")
                .addNewEnv().withName("POD_INDEX").withNewValueFrom().withNewFieldRef()
                .withFieldPath("metadata.labels['" + Labels.POD_INDEX + "']").endFieldRef().endValueFrom().endEnv()
                .addNewPort().withName(EngineLayout.MESH_PORT_NAME).withContainerPort(EngineLayout.MESH_PORT)
                .withProtocol("TCP").endPort()
                .addNewPort().withName(EngineLayout.CONTROL_PORT_NAME).withContainerPort(EngineLayout.CONTROL_PORT)
                .withProtocol("TCP").endPort()
                .withStartupProbe(grpcProbe(EngineLayout.LIVENESS_SERVICE, 0, STARTUP_FAILURES))
                .withReadinessProbe(grpcProbe(EngineLayout.READINESS_SERVICE, 0, READINESS_FAILURES))
                .withLivenessProbe(grpcProbe(EngineLayout.LIVENESS_SERVICE, LIVENESS_INITIAL_DELAY_SECONDS,
                        LIVENESS_FAILURES))
                .withResources(resources(spec, settings, rdma))
                .withSecurityContext(securityContext(settings, rdma))
                .withVolumeMounts(mounts)
                .build();
    }

    private static Probe grpcProbe(String service, int initialDelay, int failures) {
        return new ProbeBuilder()
                .withNewGrpc().withPort(EngineLayout.CONTROL_PORT)
                .withService(service.isEmpty() ? null : service).endGrpc()
                .withInitialDelaySeconds(initialDelay)
                .withPeriodSeconds(PROBE_PERIOD_SECONDS)
                .withTimeoutSeconds(PROBE_TIMEOUT_SECONDS)
                .withFailureThreshold(failures)
                .build();
    }

    /**
     * The user's resources plus one device of each kind the engine needs (requests = limits for devices).
     * Where the user names none: memory requested and limited to the whole guest plus the engine's
     * overhead (never BestEffort: a node evicted under memory pressure takes the whole VM with it), and
     * one CPU requested per vCPU (no CPU limit: a throttled vCPU holding a guest lock stalls every other).
     */
    static ResourceRequirements resources(GiantVMSpec spec, OperatorSettings settings, boolean rdma) {
        ResourceRequirements user = spec.resources;
        ResourceRequirementsBuilder b = user == null ? new ResourceRequirementsBuilder()
                : new ResourceRequirementsBuilder(user);
        Map<String, Quantity> limits = new LinkedHashMap<>(user == null || user.getLimits() == null
                ? Map.of() : user.getLimits());
        Map<String, Quantity> requests = new LinkedHashMap<>(user == null || user.getRequests() == null
                ? Map.of() : user.getRequests());
        Quantity memory = new Quantity(MemorySize.format(MemorySize.parseBytes(spec.memory) + ENGINE_OVERHEAD_BYTES));
        if (!requests.containsKey("memory")) {
            requests.put("memory", limits.getOrDefault("memory", memory));
        }
        if (!limits.containsKey("memory")) {
            limits.put("memory", requests.get("memory"));
        }
        requests.putIfAbsent("cpu", new Quantity(Integer.toString(spec.vcpusPerNode)));
        List<String> devices = new ArrayList<>();
        if (!settings.kvmResource().isEmpty()) {
            devices.add(settings.kvmResource());
        }
        if (rdma) {
            devices.add(settings.rdmaResource());
        }
        for (String device : devices) {
            limits.put(device, new Quantity("1"));
            requests.put(device, new Quantity("1"));
        }
        return b.withLimits(limits.isEmpty() ? null : limits).withRequests(requests.isEmpty() ? null : requests)
                .build();
    }

    static SecurityContext securityContext(OperatorSettings settings, boolean rdma) {
        if (settings.privileged()) {
            return new SecurityContextBuilder().withPrivileged(true).build();
        }
        List<String> add = new ArrayList<>(List.of("SYS_PTRACE"));
        if (rdma) {
            add.add("IPC_LOCK");
        }
        return new SecurityContextBuilder()
                .withPrivileged(false)
                .withAllowPrivilegeEscalation(false)
                .withNewCapabilities().withDrop("ALL").withAdd(add).endCapabilities()
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .build();
    }
}
