package io.giantvm.engine.boot.linux;

import java.util.Arrays;

/**
 * The clock of a Linux guest whose vCPUs run on several nodes: the TSC, which every node sets to one VM-wide
 * value ({@code clock} package), with its rate on the command line; not kvmclock.
 *
 * <p>Why not kvmclock: Linux keeps the kvmclock structure of its first 64 vCPUs in one page ({@code hv_clock_boot},
 * 32 bytes each), and each node's KVM writes its own vCPUs' structures there whenever it updates them. Across nodes
 * that one page is written by every node, so the DSM moves it back and forth for ever: 96,610 transfers in 20 minutes
 * of a 2-node boot under the nested harness (2026-12-06), the most moved page of the VM. Linux reads the TSC's rate
 * from kvmclock, though, and without it has no other source here (no PIT, HPET or ACPI PM timer; CPUID leaf 0x15 is
 * Intel's and often empty in a VM), so the rate KVM runs the guest's TSC at goes on the command line:
 * {@code tsc_early_khz} (Linux 5.5 and later). {@code tsc=reliable}, which the default guest already has, keeps
 * Linux from watching the TSC against a clock it does not have.
 */
public final class SpanningClock {
    private SpanningClock() {}

    /**
     * {@code commandLine} with kvmclock off and the TSC's rate given, for a VM of {@code nodes} nodes; unchanged on
     * one node, or when the command line already chooses either itself (a user's kernel may know better).
     */
    public static String commandLine(String commandLine, int nodes, long tscKhz) {
        String added = addedParameters(commandLine, nodes, tscKhz);
        return added.isEmpty() ? commandLine : (commandLine.isBlank() ? "" : commandLine.strip() + " ") + added;
    }

    /** What {@link #commandLine} appends to {@code commandLine}; empty when it leaves the line as it is. */
    public static String addedParameters(String commandLine, int nodes, long tscKhz) {
        if (nodes <= 1 || chooses(commandLine, "no-kvmclock") || chooses(commandLine, "tsc_early_khz")) {
            return "";
        }
        if (tscKhz <= 0) {
            throw new IllegalArgumentException("TSC rate " + tscKhz + " kHz: KVM reported none, so Linux could not be told");
        }
        return "no-kvmclock tsc_early_khz=" + tscKhz;
    }

    private static boolean chooses(String commandLine, String parameter) {
        return Arrays.stream(commandLine.trim().split("\\s+"))
                .anyMatch(p -> p.equals(parameter) || p.startsWith(parameter + "="));
    }
}
