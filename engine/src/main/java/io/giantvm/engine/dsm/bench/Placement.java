package io.giantvm.engine.dsm.bench;

import java.util.BitSet;
import java.util.List;

/**
 * Where the benchmark's processes run. On a small host this decides the figures more than anything the DSM does:
 * on the 2-core build host a C ping-pong over loopback took 5.2 µs with both processes on one core and 60-70 µs
 * with one on each, because waking a thread on an idle core there costs ~30 µs (the core's vCPU sleeps in the
 * hypervisor). Left to the scheduler, each run picked one or the other, so the floors and the faults of one run
 * could come from different placements and their ratio meant nothing. The benchmark pins every process, floors
 * and faults alike, and reports each placement on its own.
 */
public enum Placement {
    /** Every process on one core: a hop between processes is a context switch, so software costs show. */
    SHARED("nodes share one core"),
    /** Node i on the i-th allowed core: every hop wakes another core, as it does between machines. */
    SPREAD("each node on its own core");

    private final String description;

    Placement(String description) {
        this.description = description;
    }

    /** {@code shared}, {@code spread} or {@code both}, as {@code --placement} takes them; null for anything else. */
    public static List<Placement> parse(String option) {
        return switch (option) {
            case "shared" -> List.of(SHARED);
            case "spread" -> List.of(SPREAD);
            case "both" -> List.of(SHARED, SPREAD);
            default -> null;
        };
    }

    String description() {
        return description;
    }

    /** The CPU that node {@code node}'s process is pinned to, from the CPUs this process may use. */
    int cpuOf(int node, BitSet allowed) {
        int[] cpus = allowed.stream().toArray();
        return this == SHARED ? cpus[0] : cpus[node % cpus.length];
    }

    /** Whether this placement means what it says with {@code allowed}: spreading needs two CPUs. */
    public boolean possibleOn(BitSet allowed) {
        return this == SHARED || allowed.cardinality() >= 2;
    }
}
