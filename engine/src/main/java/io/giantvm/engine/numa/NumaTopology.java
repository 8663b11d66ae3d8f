package io.giantvm.engine.numa;

import io.giantvm.engine.config.HomeRange;
import io.giantvm.engine.config.VmDescription;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The proximity domains of a multi-node VM, one per engine node in node order, and the distance between two
 * different ones. What the ACPI SRAT and SLIT describe.
 */
public record NumaTopology(List<ProximityDomain> domains, SlitDistance distance) {
    public NumaTopology {
        domains = List.copyOf(domains);
        if (domains.size() < 2) {
            throw new IllegalArgumentException("a NUMA topology has at least 2 proximity domains, got " + domains.size());
        }
    }

    /**
     * One domain per node of {@code d}: its vCPUs ({@code firstVcpu}, {@code vcpusPerNode}) and exactly its DSM home
     * range ({@link VmDescription#homeRanges()}, the list the DSM's {@code HomeMap} is made from — never re-derived here).
     * Guest RAM is one range from 0 below the MMIO hole ({@code GuestLayout.MAX_RAM}), so no range has a hole to cut.
     */
    public static NumaTopology of(VmDescription d, SlitDistance distance) {
        List<ProximityDomain> out = new ArrayList<>();
        for (HomeRange h : d.homeRanges()) {
            out.add(new ProximityDomain(h.node(), d.firstVcpu(h.node()), d.vcpusPerNode(), h.start(), h.end()));
        }
        return new NumaTopology(out, distance);
    }

    /** What the VM's firmware tables describe: nothing for a flat VM (one node, or NUMA turned off). */
    public static Optional<NumaTopology> forVm(VmDescription d, SlitDistance distance) {
        return d.numa() && d.nodeCount() > 1 ? Optional.of(of(d, distance)) : Optional.empty();
    }

    /** The same domains at another distance (the one measured at start). */
    public NumaTopology withDistance(SlitDistance measured) {
        return new NumaTopology(domains, measured);
    }

    /**
     * Where the engine's own boot pieces (kernel, initrd, command line, zero page, page tables, ACPI tables) must end:
     * they all go into the boot node's home range, domain 0's, which starts at guest-physical 0.
     */
    public long bootRangeEnd() {
        ProximityDomain boot = domains.getFirst();
        if (boot.domain() != 0 || boot.memoryStart() != 0) {
            throw new IllegalStateException("domain 0 is not first or does not start at 0: " + boot);
        }
        return boot.memoryEnd();
    }

    public int vcpus() {
        return domains.stream().mapToInt(ProximityDomain::vcpus).sum();
    }

    /** The SLIT's matrix entry from {@code from} to {@code to}. */
    public int distance(int from, int to) {
        return from == to ? SlitDistance.LOCAL : distance.remote();
    }

    /** The line printed at start: what the guest is told and where the distance came from. */
    public String startupLine() {
        return "NUMA: " + domains.size() + " proximity domains (one per engine node, memory = its DSM home range);"
                + " SLIT distance local " + SlitDistance.LOCAL + ", remote " + distance.explain();
    }
}
