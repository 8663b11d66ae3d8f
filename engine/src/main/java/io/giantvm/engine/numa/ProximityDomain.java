package io.giantvm.engine.numa;

/**
 * One engine node as the guest sees it (an ACPI proximity domain).
 *
 * @param domain      proximity domain number: the engine node's id
 * @param firstApicId the node's first vCPU; vCPU index = local APIC id, as the MADT declares them
 * @param apicIds     how many vCPUs the node runs (APIC ids firstApicId .. firstApicId+apicIds-1)
 * @param memoryStart first guest-physical byte the node is DSM home of
 * @param memoryEnd   end (exclusive) of that range
 */
public record ProximityDomain(int domain, int firstApicId, int apicIds, long memoryStart, long memoryEnd) {
    public long memoryBytes() {
        return memoryEnd - memoryStart;
    }

    public boolean holdsApicId(int apicId) {
        return apicId >= firstApicId && apicId < firstApicId + apicIds;
    }
}
