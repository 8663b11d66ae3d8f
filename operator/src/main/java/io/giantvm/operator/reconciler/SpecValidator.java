package io.giantvm.operator.reconciler;

import io.giantvm.operator.crd.GiantVM;
import io.giantvm.operator.crd.GiantVMSpec;
import io.giantvm.operator.crd.MemorySize;
import io.giantvm.operator.resources.EngineLayout;
import io.giantvm.operator.resources.HomeRanges;

import io.giantvm.engine.cpu.ApicIdMap;
import io.giantvm.engine.guest.InvalidWorkloadSpecException;
import io.giantvm.engine.guest.WorkloadSpec;
import io.giantvm.engine.vm.VmConfigurationException;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks what the CRD schema cannot (or what an older API server without the schema let through).
 * The reconciler reports a problem as a condition and creates no pods: never a crash loop.
 */
public final class SpecValidator {
    public static final String INVALID_SPEC = "InvalidSpec";
    /** What a node runs when the description names no workload (the engine's default too). */
    static final String DEFAULT_WORKLOAD = "mutex";
    /**
     * The name names a Service ({@code <vm>-mesh}), so it must be an RFC 1035 label: lower case,
     * starting with a letter. The CRD's CEL rule says the same; this catches servers without it.
     */
    public static final String NAME_PATTERN = "^[a-z]([-a-z0-9]*[a-z0-9])?$";
    private static final Pattern DNS_LABEL = Pattern.compile(NAME_PATTERN);

    private SpecValidator() {}

    public static Optional<Problem> check(GiantVM vm) {
        String name = vm.getMetadata().getName();
        if (name.length() > EngineLayout.MAX_VM_NAME || !DNS_LABEL.matcher(name).matches()) {
            return invalid("name '" + name + "' must be at most " + EngineLayout.MAX_VM_NAME
                    + " characters of a-z, 0-9 and '-', start with a letter and end with a letter or digit"
                    + " (it names the mesh Service and every hypervisor's host name)");
        }
        GiantVMSpec spec = vm.getSpec();
        if (spec == null) {
            return invalid("spec is missing");
        }
        if (spec.nodes == null || spec.nodes < 1 || spec.nodes > GiantVMSpec.MAX_NODES) {
            return invalid("spec.nodes must be 1.." + GiantVMSpec.MAX_NODES + ", got " + spec.nodes);
        }
        if (spec.vcpusPerNode == null || spec.vcpusPerNode < 1) {
            return invalid("spec.vcpusPerNode must be at least 1, got " + spec.vcpusPerNode);
        }
        long bytes;
        try {
            bytes = MemorySize.parseBytes(spec.memory);
        } catch (IllegalArgumentException e) {
            return invalid("spec." + e.getMessage());
        }
        try {
            HomeRanges.split(bytes, spec.nodes);
        } catch (IllegalArgumentException e) {
            return invalid("spec.memory: " + e.getMessage());
        }
        int vcpus = spec.nodes * spec.vcpusPerNode;
        if (vcpus > GiantVMSpec.MAX_VCPUS) {
            return invalid("spec.nodes x spec.vcpusPerNode = " + vcpus + " vCPUs; the guest runs at most "
                    + GiantVMSpec.MAX_VCPUS);
        }
        Optional<String> guest = GuestSpecRules.problem(spec);
        if (guest.isPresent()) {
            return invalid(guest.get());
        }
        if (spec.guestKind().linux() && spec.nodes > 1 && spec.numaOrDefault()) {
            try { // the engine gives each NUMA node a package of APIC ids; every node would refuse ids past the xAPIC's
                ApicIdMap.packagePerNode(spec.nodes, spec.vcpusPerNode);
            } catch (VmConfigurationException e) {
                return invalid("spec.nodes x spec.vcpusPerNode with spec.guest.numa on: " + e.getMessage());
            }
        }
        if (spec.workload != null && spec.workload.name == null) {
            return invalid("spec.workload.name is missing");
        }
        if (!spec.guestKind().linux()) {
            Optional<String> workload = workloadProblem(spec, bytes, vcpus);
            if (workload.isPresent()) {
                return invalid(workload.get());
            }
        }
        if (spec.nodes > 1 && spec.nodeSelector != null && spec.nodeSelector.containsKey("kubernetes.io/hostname")) {
            return invalid("spec.nodeSelector pins kubernetes.io/hostname, but each of the " + spec.nodes
                    + " hypervisors needs its own machine");
        }
        return Optional.empty();
    }

    /**
     * The engine's own workload validation, so that the operator refuses exactly what every node would
     * refuse at start (and says it once, as a condition, instead of N crash-looping pods).
     */
    static Optional<String> workloadProblem(GiantVMSpec spec, long memoryBytes, int vcpus) {
        String name = spec.workload == null ? DEFAULT_WORKLOAD : spec.workload.name.wire();
        Map<String, String> options = spec.workload == null || spec.workload.options == null ? Map.of()
                : spec.workload.options;
        WorkloadSpec parsed;
        try {
            parsed = WorkloadSpec.parse(name, options);
        } catch (InvalidWorkloadSpecException e) {
            return Optional.of("spec.workload: " + e.getMessage());
        }
        long needed = parsed.minimumMemoryBytes(vcpus);
        if (memoryBytes < needed) {
            return Optional.of("spec.memory " + MemorySize.format(memoryBytes) + " is too small for workload "
                    + name + " on " + vcpus + " vCPUs: it needs at least " + MemorySize.format(needed));
        }
        return Optional.empty();
    }

    private static Optional<Problem> invalid(String message) {
        return Optional.of(new Problem(INVALID_SPEC, message));
    }
}
