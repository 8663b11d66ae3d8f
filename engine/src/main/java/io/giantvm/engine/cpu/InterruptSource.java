package io.giantvm.engine.cpu;

/** What a vCPU asks its interrupt controller (the local APIC) before entering the guest. */
public interface InterruptSource {
    /** The vector that would be delivered now, or -1 when none is deliverable. */
    int pendingVector();

    /** Marks the pending vector in service and returns it (the CPU's interrupt acknowledge). */
    int acknowledge();

    /** Takes a pending NMI, if any (NMIs bypass priorities and the interrupt flag). */
    default boolean takeNmi() {
        return false;
    }
}
