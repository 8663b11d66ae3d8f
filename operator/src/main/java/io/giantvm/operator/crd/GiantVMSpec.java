package io.giantvm.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;

import java.util.List;
import java.util.Map;

/** What the user asks for. Anything the schema cannot check is reported as a condition, never a crash loop. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.nodes * self.vcpusPerNode <= " + GiantVMSpec.MAX_VCPUS,
        message = "nodes x vcpusPerNode must be at most " + GiantVMSpec.MAX_VCPUS + ": the guest runs at most "
                + GiantVMSpec.MAX_VCPUS + " vCPUs")
@ValidationRule(value = "self.nodes == 1 || !has(self.nodeSelector) || !('kubernetes.io/hostname' in self.nodeSelector)",
        message = "nodeSelector must not pin kubernetes.io/hostname when nodes > 1: each hypervisor needs its own machine")
@ValidationRule(value = "!has(self.guest) || self.guest.kind == 'bundled-test' || !has(self.workload)",
        message = GiantVMSpec.WORKLOAD_ONLY_FOR_TEST_GUEST)
public class GiantVMSpec {
    public static final String WORKLOAD_ONLY_FOR_TEST_GUEST =
            "workload is the bundled test guest's; a Linux guest (guest.kind bundled-linux or kernel) runs guest.sysbench";
    /** The VM description limits node ids to what one VM can wire up; 64 matches the engine's mesh. */
    public static final int MAX_NODES = 64;
    /** The bundled guest's limit (the engine's GuestAbi.MAX_VCPUS; SpecValidator checks the engine agrees). */
    public static final int MAX_VCPUS = 64;

    @Required
    @Min(1)
    @Max(MAX_NODES)
    @JsonPropertyDescription("Hypervisor instances, one per Kubernetes node (1-64).")
    public Integer nodes;

    @Required
    @Min(1)
    @Max(64)
    @JsonPropertyDescription("vCPUs each hypervisor runs; node i runs vCPUs i*k .. i*k+k-1.")
    public Integer vcpusPerNode;

    @Required
    @Pattern(MemorySize.PATTERN)
    @JsonPropertyDescription("Total guest RAM as a whole number of bytes with an optional suffix Ki Mi Gi Ti (1024-based) or k K M G T (1000-based); each node must get at least 2Mi.")
    public String memory;

    @JsonPropertyDescription("The bundled test guest's workload.")
    public Workload workload;

    @JsonPropertyDescription("Which guest to boot (without it, the bundled test guest running spec.workload) and how it sees the machine (numa).")
    public GuestSpec guest;

    @Default("tcp")
    @JsonPropertyDescription("Mesh transport between hypervisors: tcp or rdma (rdma needs RDMA-capable nodes).")
    public Transport transport;

    @JsonPropertyDescription("Engine image; defaults to the operator's configured engine image.")
    public String image;

    @JsonPropertyDescription("Extra node labels the hypervisor pods require, on top of the operator's KVM node selector.")
    public Map<String, String> nodeSelector;

    @JsonPropertyDescription("Tolerations of the hypervisor pods.")
    public List<Toleration> tolerations;

    @JsonPropertyDescription("Resources of each hypervisor container; the KVM (and RDMA) device resources are added by the operator.")
    public ResourceRequirements resources;

    @Default("Always")
    @JsonPropertyDescription("Always: restart the whole VM whenever it stops. RerunOnFailure: restart it when it fails. Once: run to completion (phase Succeeded or Failed with the guest's result). Halted: remove the hypervisor pods and keep the resource.")
    public RunStrategy runStrategy;

    public Transport transportOrDefault() {
        return transport == null ? Transport.TCP : transport;
    }

    public GuestKind guestKind() {
        return guest == null ? GuestKind.BUNDLED_TEST : guest.kindOrDefault();
    }

    public boolean numaOrDefault() {
        return guest == null || guest.numaOrDefault();
    }

    public RunStrategy runStrategyOrDefault() {
        return runStrategy == null ? RunStrategy.ALWAYS : runStrategy;
    }
}
