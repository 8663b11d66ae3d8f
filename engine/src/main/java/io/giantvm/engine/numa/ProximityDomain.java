package io.giantvm.engine.numa;

/**
 * One engine node as the guest sees it (an ACPI proximity domain). Its vCPUs' APIC ids are not here: they come from
 * {@code cpu/ApicIdMap}, which gives every node a package of its own.
 *
 * @param domain      proximity domain number: the engine node's id
 * @param firstVcpu   the node's first vCPU (global index; Linux numbers its CPUs the same way, in MADT order)
 * @param vcpus       how many vCPUs the node runs (firstVcpu .. firstVcpu+vcpus-1)
 * @param memoryStart first guest-physical byte the node is DSM home of
 * @param memoryEnd   end (exclusive) of that range
 */
public record ProximityDomain(int domain, int firstVcpu, int vcpus, long memoryStart, long memoryEnd) {
    public long memoryBytes() {
        return memoryEnd - memoryStart;
    }

    public boolean holdsVcpu(int vcpu) {
        return vcpu >= firstVcpu && vcpu < firstVcpu + vcpus;
    }
}
