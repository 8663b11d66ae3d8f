package io.giantvm.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** How the guest sees the machine it runs on. Fields about what the guest is (kernel, initrd) belong here too. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Guest {
    @Default("true")
    @JsonPropertyDescription("With more than one node, tell the guest each node is a NUMA node (ACPI SRAT and SLIT: its vCPUs and the memory range it is DSM home of), so Linux keeps memory and threads local. false: one flat machine, e.g. to compare.")
    public Boolean numa;

    public boolean numaOrDefault() {
        return numa == null || numa;
    }
}
