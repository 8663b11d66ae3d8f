package io.giantvm.engine.linux;

/**
 * One NUMA node as the guest's Linux sees it ({@code /sys/devices/system/node/nodeN}).
 *
 * @param node     the node number
 * @param cpus     its {@code cpulist}, e.g. {@code 0-1}
 * @param memoryKb its {@code MemTotal} (RAM Linux manages there: the range less what firmware and the kernel reserve)
 * @param distance its {@code distance} row (from the ACPI SLIT), comma-separated, e.g. {@code 10,41}
 */
public record NumaNodeReport(int node, String cpus, long memoryKb, String distance) {}
