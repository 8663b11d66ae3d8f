package io.giantvm.operator.resources;

import java.util.ArrayList;
import java.util.List;

/**
 * The split of guest RAM into one contiguous home range per node, exactly as the engine derives it
 * from the VM description (engine/VM-DESCRIPTION.md): {@code share = floor(memory / N / 2MiB) * 2MiB},
 * node i is home of [i*share, (i+1)*share), the last node also takes the remainder.
 */
public final class HomeRanges {
    /** Home ranges are whole 2 MiB pages so that the guest may map them with large pages. */
    public static final long GRANULE = 2L * 1024 * 1024;

    private HomeRanges() {}

    public record Range(long start, long end) {}

    /** @throws IllegalArgumentException when a node would get less than 2 MiB */
    public static List<Range> split(long memoryBytes, int nodes) {
        long share = memoryBytes / nodes / GRANULE * GRANULE;
        if (share < GRANULE) {
            throw new IllegalArgumentException("memory " + memoryBytes + " bytes gives each of " + nodes
                    + " nodes less than 2Mi; ask for at least " + (nodes * 2) + "Mi");
        }
        List<Range> ranges = new ArrayList<>(nodes);
        for (int i = 0; i < nodes; i++) {
            long start = i * share;
            ranges.add(new Range(start, i == nodes - 1 ? memoryBytes : start + share));
        }
        return ranges;
    }
}
