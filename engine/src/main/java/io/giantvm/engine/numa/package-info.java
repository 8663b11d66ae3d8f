/**
 * The guest's NUMA picture of a multi-node VM: one proximity domain per engine node, holding that node's vCPUs
 * and the guest-physical range it is DSM home of, and the distance Linux should assume between domains.
 *
 * <p>The memory side is never computed here: {@link io.giantvm.engine.numa.NumaTopology#of} reads the VM
 * description's {@code homeRanges()}, the same list the DSM's {@code HomeMap} is built from, so "local" to Linux
 * is "home here" to the DSM by construction ({@code NumaTopologyTest} fails if the two ever disagree). The ACPI
 * SRAT and SLIT that carry this picture are written by {@code acpi/Srat} and {@code acpi/Slit}.
 */
package io.giantvm.engine.numa;
