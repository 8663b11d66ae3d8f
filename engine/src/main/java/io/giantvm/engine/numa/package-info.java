/**
 * The guest's NUMA picture of a multi-node VM: one proximity domain per engine node, holding that node's vCPUs
 * and the guest-physical range it is DSM home of, and the distance Linux should assume between domains.
 *
 * <p>The memory side is never computed here: {@link io.giantvm.engine.numa.NumaTopology#of} reads the VM
 * description's {@code homeRanges()}, the same list the DSM's {@code HomeMap} is built from, so "local" to Linux
 * is "home here" to the DSM by construction ({@code SratMatchesDsmHomesTest} fails if the two ever disagree). The ACPI
 * SRAT and SLIT that carry this picture are written by {@code acpi/Srat} and {@code acpi/Slit}.
 *
 * <p>The vCPU side: each domain holds its node's block of vCPUs (by index; Linux numbers its CPUs the same way).
 * Their APIC ids are {@code cpu/ApicIdMap}'s: a guest told of these domains gets a package of APIC ids per node
 * (node n from n x S, S = max(8, next power of two >= its vCPUs)), and {@code cpu/CpuidTopology} makes CPUID's
 * topology and cache leaves say the same, so Linux's last-level cache never spans two nodes (with packed ids it did,
 * and warned {@code llc-sibling ... is not on the same node} with a stack dump at every AP's bring-up).
 *
 * <p>The distance is measured by the boot node at start, once the mesh is up and before the guest is loaded
 * ({@link io.giantvm.engine.numa.SlitProbe}: first-touch faults on pages homed here against pages homed elsewhere;
 * {@link io.giantvm.engine.numa.SlitDistance} says why those), or the documented default with the reason it could
 * not be. The boot pieces the engine loads (kernel, initrd, tables) go into domain 0's memory
 * ({@link io.giantvm.engine.numa.NumaTopology#bootRangeEnd}).
 */
package io.giantvm.engine.numa;
