package io.giantvm.engine.cpu;

/** What a vCPU asks its interrupt controller (the local APIC) before entering the guest. */
public interface InterruptSource {
    /** The vector that would be delivered now, or -1 when none is deliverable. */
    int pendingVector();

    /** Marks the pending vector in service and returns it (the CPU's interrupt acknowledge). */
    int acknowledge();

    /**
     * Whether an NMI waits to be taken, without taking it: a halted vCPU must wake for one even with
     * interrupts disabled (Linux stops the other CPUs for power-off with an NMI when they sit in cli; hlt).
     */
    default boolean hasPendingNmi() {
        return false;
    }

    /** Takes a pending NMI, if any (NMIs bypass priorities and the interrupt flag). */
    default boolean takeNmi() {
        return false;
    }

    /** The controller's state in one line, for a guest that timed out (empty when there is nothing to say). */
    default String describe() {
        return "";
    }
}
