/**
 * The DSM applied to real memory with userfaultfd: {@link io.giantvm.engine.dsm.uffd.UffdPageMemory} is the
 * {@link io.giantvm.engine.dsm.PageMemory} over a private anonymous mapping, and
 * {@link io.giantvm.engine.dsm.uffd.UffdFaultHandler} feeds its missing and write-protect faults to the DSM.
 * Kept apart from the protocol core so that the core has no OS imports.
 */
package io.giantvm.engine.dsm.uffd;
