package io.giantvm.engine.cli;

import io.giantvm.engine.config.VmDescription;
import io.giantvm.engine.cpu.ApicIdMap;
import io.giantvm.engine.config.VmDescriptionWriter;
import io.giantvm.engine.numa.NumaTopology;
import io.giantvm.engine.numa.SlitDistance;

import java.util.Optional;

/**
 * {@code --numa on|off} of {@code giantvm run} (default on: a VM over several engine nodes tells its guest each node
 * is a NUMA node), and the test-only hook that makes one engine describe itself as several.
 */
final class NumaSwitch {
    static final String OPTION = "numa";
    /**
     * Test hook, never for real use: one engine's Linux guest is told its vCPUs and memory are split into N proximity
     * domains exactly as {@code run --nodes N} would split them, so that Linux's parsing of the SRAT and SLIT can be
     * checked where only one engine node can boot Linux. Nothing about the memory is actually remote.
     */
    static final String TEST_ONLY_NODES = "test-only-numa-nodes";

    private NumaSwitch() {}

    static boolean on(Options o) {
        String v = o.get(OPTION, "on");
        return switch (v) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new UsageException("--numa must be on or off, got '" + v + "'");
        };
    }

    /**
     * Where the boot node's kernel and initrd must fit ({@code LinuxLoader}'s boot range): node 0's home range when
     * {@code d}'s guest is told each node is a NUMA node, else all of RAM.
     */
    static long bootRangeEnd(VmDescription d) {
        return bootRangeEnd(NumaTopology.forVm(d, SlitDistance.DEFAULT), d.memoryBytes());
    }

    static long bootRangeEnd(Optional<NumaTopology> numa, long memoryBytes) {
        return numa.map(NumaTopology::bootRangeEnd).orElse(memoryBytes);
    }

    /** The same for {@code run --nodes N}, before its description exists: the one it will write. */
    static long bootRangeEnd(Options o, int nodes, int vcpusPerNode, long memoryBytes) {
        return bootRangeEnd(VmDescriptionWriter.loopback("boot-range", nodes, vcpusPerNode, memoryBytes, Optional.empty())
                .withNuma(on(o)));
    }

    /**
     * Before any node starts: one line when {@code nodes} NUMA nodes of {@code vcpusPerNode} cannot each be given a
     * package of APIC ids an xAPIC can address ({@link ApicIdMap#packagePerNode}).
     */
    static void checkApicIds(int nodes, int vcpusPerNode) {
        ApicIdMap.packagePerNode(nodes, vcpusPerNode);
    }

    /** What a Linux guest on this one engine is told: flat, unless the test hook asks for pretend nodes. */
    static Optional<NumaTopology> forOneEngine(Options o, int vcpus, long memoryBytes) {
        boolean on = on(o);
        if (!o.has(TEST_ONLY_NODES)) {
            return Optional.empty();
        }
        int nodes = o.getInt(TEST_ONLY_NODES, 1, 2, Math.max(2, vcpus));
        if (vcpus % nodes != 0) {
            throw new UsageException("--" + TEST_ONLY_NODES + " " + nodes + " must divide --vcpus " + vcpus);
        }
        if (on) {
            checkApicIds(nodes, vcpus / nodes);
        }
        // The same description `run --nodes` writes, so the split is the DSM's own, not a second copy of it.
        VmDescription pretend = VmDescriptionWriter.loopback("numa-test", nodes, vcpus / nodes, memoryBytes, Optional.empty())
                .withNuma(on);
        return NumaTopology.forVm(pretend, SlitDistance.fallback("one engine process (--" + TEST_ONLY_NODES
                + "): no other node to fault a page from"));
    }
}
