package io.giantvm.operator.runtime;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The operator's configuration, read from environment variables (the chart sets them from values.yaml).
 *
 * @param watchNamespaces  namespaces to watch; empty means all
 * @param engineImage      image of hypervisor pods whose spec names none
 * @param kvmResource      extended resource that hands a pod /dev/kvm; empty: request none (privileged clusters)
 * @param rdmaResource     extended resource that hands a pod an RDMA device, for transport rdma
 * @param kvmNodeSelector  labels every hypervisor node must carry (e.g. the NFD VMX label)
 * @param privileged       run hypervisor containers privileged (for clusters without a KVM device plugin)
 * @param checkNodes       look for KVM/RDMA-capable nodes before creating pods (needs list on nodes)
 * @param queryEngines     ask each ready engine's control API for its status
 * @param leaderElection   only one replica reconciles at a time
 * @param leaseNamespace   namespace of the leader-election Lease (the operator's own)
 * @param leaseName        name of the Lease
 * @param httpPort         port of /healthz, /readyz and /metrics
 * @param settlingRecheck  how soon to look again while a VM is not yet running (engines' mesh
 *                         state changes without any Kubernetes event)
 * @param steadyRecheck    how soon to look again at a running, stopped or failed VM
 * @param clusterDomain    the cluster's DNS domain, the suffix of every hypervisor's host name
 * @param engineServiceAccount service account of hypervisor pods; empty: the namespace's default
 */
public record OperatorSettings(Set<String> watchNamespaces, String engineImage, String kvmResource,
                               String rdmaResource, Map<String, String> kvmNodeSelector, boolean privileged,
                               boolean checkNodes, boolean queryEngines, boolean leaderElection,
                               String leaseNamespace, String leaseName, int httpPort,
                               Duration settlingRecheck, Duration steadyRecheck, String clusterDomain,
                               String engineServiceAccount) {

    public static final String DEFAULT_ENGINE_IMAGE = "ghcr.io/giantvm/giantvm-node:0.1.0";
    public static final String DEFAULT_KVM_RESOURCE = "devices.kubevirt.io/kvm";
    public static final String DEFAULT_RDMA_RESOURCE = "rdma/hca_shared_devices_a";
    public static final String DEFAULT_CLUSTER_DOMAIN = "cluster.local";

    /** Defaults for tests and local runs: all namespaces, no leader election. */
    public static OperatorSettings defaults() {
        return fromEnv(Map.of());
    }

    /** @throws IllegalArgumentException naming the variable when a value does not parse */
    public static OperatorSettings fromEnv(Map<String, String> env) {
        return new OperatorSettings(
                list(env.getOrDefault("GIANTVM_WATCH_NAMESPACES", "")),
                nonBlank(env, "GIANTVM_ENGINE_IMAGE", DEFAULT_ENGINE_IMAGE),
                env.getOrDefault("GIANTVM_KVM_RESOURCE", DEFAULT_KVM_RESOURCE).strip(),
                nonBlank(env, "GIANTVM_RDMA_RESOURCE", DEFAULT_RDMA_RESOURCE),
                labels("GIANTVM_KVM_NODE_SELECTOR", env.getOrDefault("GIANTVM_KVM_NODE_SELECTOR", "")),
                bool(env, "GIANTVM_PRIVILEGED", false),
                bool(env, "GIANTVM_CHECK_NODES", true),
                bool(env, "GIANTVM_QUERY_ENGINES", true),
                bool(env, "GIANTVM_LEADER_ELECTION", false),
                env.getOrDefault("POD_NAMESPACE", "default"),
                nonBlank(env, "GIANTVM_LEASE_NAME", "giantvm-operator-leader"),
                port(env, "GIANTVM_HTTP_PORT", 8080),
                seconds(env, "GIANTVM_SETTLING_RECHECK_SECONDS", 5),
                seconds(env, "GIANTVM_STEADY_RECHECK_SECONDS", 30),
                nonBlank(env, "GIANTVM_CLUSTER_DOMAIN", DEFAULT_CLUSTER_DOMAIN),
                env.getOrDefault("GIANTVM_ENGINE_SERVICE_ACCOUNT", "").strip());
    }

    /** Tests look again every {@code recheck} so that engine-only changes show up quickly. */
    public OperatorSettings withRecheck(Duration recheck) {
        return new OperatorSettings(watchNamespaces, engineImage, kvmResource, rdmaResource, kvmNodeSelector,
                privileged, checkNodes, queryEngines, leaderElection, leaseNamespace, leaseName, httpPort,
                recheck, recheck, clusterDomain, engineServiceAccount);
    }

    private static Set<String> list(String csv) {
        Set<String> out = new TreeSet<>();
        Arrays.stream(csv.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(out::add);
        return Set.copyOf(out);
    }

    /**
     * {@code key=value,key2=value2}; an empty value is allowed ({@code key=}). Sorted by key, so that
     * everything built from it reads the same in every JVM.
     */
    static Map<String, String> labels(String variable, String csv) {
        Map<String, String> out = new TreeMap<>();
        for (String item : csv.split(",")) {
            if (item.isBlank()) {
                continue;
            }
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(variable + ": '" + item.strip() + "' is not key=value");
            }
            out.put(item.substring(0, eq).strip(), item.substring(eq + 1).strip());
        }
        return Collections.unmodifiableMap(out);
    }

    private static String nonBlank(Map<String, String> env, String key, String fallback) {
        String v = env.get(key);
        return v == null || v.isBlank() ? fallback : v.strip();
    }

    private static boolean bool(Map<String, String> env, String key, boolean fallback) {
        String v = env.get(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + ": '" + v + "' is not true or false");
        };
    }

    private static Duration seconds(Map<String, String> env, String key, int fallback) {
        String v = env.get(key);
        if (v == null || v.isBlank()) {
            return Duration.ofSeconds(fallback);
        }
        try {
            int s = Integer.parseInt(v.strip());
            if (s < 1) {
                throw new NumberFormatException();
            }
            return Duration.ofSeconds(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + v + "' is not a whole number of seconds >= 1");
        }
    }

    private static int port(Map<String, String> env, String key, int fallback) {
        String v = env.get(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            int p = Integer.parseInt(v.strip());
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + v + "' is not a port in 1..65535");
        }
    }
}
