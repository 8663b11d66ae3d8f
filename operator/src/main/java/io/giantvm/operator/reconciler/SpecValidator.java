package io.giantvm.operator.reconciler;

import io.giantvm.operator.crd.GiantVM;
import io.giantvm.operator.crd.GiantVMSpec;
import io.giantvm.operator.crd.MemorySize;
import io.giantvm.operator.resources.EngineLayout;
import io.giantvm.operator.resources.HomeRanges;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks what the CRD schema cannot (or what an older API server without the schema let through).
 * The reconciler reports a problem as a condition and creates no pods: never a crash loop.
 */
public final class SpecValidator {
    public static final String INVALID_SPEC = "InvalidSpec";
    /** The name becomes a DNS label in every hypervisor's host name. */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private SpecValidator() {}

    public static Optional<Problem> check(GiantVM vm) {
        String name = vm.getMetadata().getName();
        if (name.length() > EngineLayout.MAX_VM_NAME || !DNS_LABEL.matcher(name).matches()) {
            return invalid("name '" + name + "' must be a DNS label of at most " + EngineLayout.MAX_VM_NAME
                    + " characters (it becomes part of every hypervisor's host name)");
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
        if (spec.workload != null && spec.workload.name == null) {
            return invalid("spec.workload.name is missing");
        }
        if (spec.nodes > 1 && spec.nodeSelector != null && spec.nodeSelector.containsKey("kubernetes.io/hostname")) {
            return invalid("spec.nodeSelector pins kubernetes.io/hostname, but each of the " + spec.nodes
                    + " hypervisors needs its own machine");
        }
        return Optional.empty();
    }

    private static Optional<Problem> invalid(String message) {
        return Optional.of(new Problem(INVALID_SPEC, message));
    }
}
