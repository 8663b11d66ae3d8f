package io.giantvm.operator.resources;

/** Ports, paths and names of a hypervisor pod: the one place the operator spells them. */
public final class EngineLayout {
    private EngineLayout() {}

    /** Node-to-node DSM and forwarding traffic (engine/VM-DESCRIPTION.md). */
    public static final int MESH_PORT = 7100;
    /** gRPC control API: health, status, stats (control.proto). */
    public static final int CONTROL_PORT = 7200;

    public static final String MESH_PORT_NAME = "mesh";
    public static final String CONTROL_PORT_NAME = "control";

    /** Health service names of control.proto, for the probes. */
    public static final String LIVENESS_SERVICE = "";
    public static final String READINESS_SERVICE = "giantvm.control.v1.Control";

    public static final String CONFIG_DIR = "/etc/giantvm";
    public static final String CONFIG_FILE_NAME = "vm.yaml";
    public static final String CONFIG_PATH = CONFIG_DIR + "/" + CONFIG_FILE_NAME;

    public static final String CONTAINER_NAME = "engine";
    public static final String CONFIG_VOLUME = "vm-description";

    /**
     * Where a {@code kind: kernel} guest's volume (spec.guest.volume) is mounted, read-only: the VM
     * description names the kernel and initrd under it.
     */
    public static final String GUEST_VOLUME = "guest-files";
    public static final String GUEST_DIR = "/var/lib/giantvm/guest";

    /** A path inside the guest volume (spec.guest.kernel, initrd) as the engine in the pod sees it. */
    public static String guestPath(String insideVolume) {
        return GUEST_DIR + "/" + insideVolume;
    }

    /** Suffix of the headless Service that gives each hypervisor a stable DNS name. */
    public static final String MESH_SERVICE_SUFFIX = "-mesh";
    /** Suffix of the ConfigMap that holds the VM description. */
    public static final String CONFIG_MAP_SUFFIX = "-vm";

    /**
     * A StatefulSet stamps its pods with {@code <name>-<revision hash of 10>} in a 63-character label,
     * so the StatefulSet's (= the VM's) name may use at most 52 characters.
     */
    public static final int MAX_VM_NAME = 52;

    /** Suffix of the PodDisruptionBudget and the NetworkPolicy of a VM's pods. */
    public static final String DISRUPTION_BUDGET_SUFFIX = "-nodes";
    public static final String NETWORK_POLICY_SUFFIX = "-mesh";

    public static String disruptionBudgetName(String vm) {
        return vm + DISRUPTION_BUDGET_SUFFIX;
    }

    public static String networkPolicyName(String vm) {
        return vm + NETWORK_POLICY_SUFFIX;
    }

    public static String meshServiceName(String vm) {
        return vm + MESH_SERVICE_SUFFIX;
    }

    public static String configMapName(String vm) {
        return vm + CONFIG_MAP_SUFFIX;
    }

    /** {@code clusterDomain} is the cluster's DNS domain (kubelet's --cluster-domain), usually cluster.local. */
    public static String hostName(String vm, int index, String namespace, String clusterDomain) {
        return vm + "-" + index + "." + meshServiceName(vm) + "." + namespace + ".svc." + clusterDomain;
    }
}
