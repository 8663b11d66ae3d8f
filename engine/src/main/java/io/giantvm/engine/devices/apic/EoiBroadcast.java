package io.giantvm.engine.devices.apic;

/**
 * Where a local APIC's EOI for a level-triggered vector goes: to every I/O APIC, which clears remote IRR on the
 * pins with that vector and fires again those still asserted (Intel SDM vol. 3, 11.8.5: the EOI message of a
 * level-triggered interrupt is broadcast; this APIC's version register offers no EOI-broadcast suppression).
 * Called on the vCPU thread that wrote EOI, with no APIC lock held.
 */
@FunctionalInterface
public interface EoiBroadcast {
    /** Nothing listens: a machine without an I/O APIC has no level-triggered source. */
    EoiBroadcast NONE = (vcpu, vector) -> { };

    /** {@code vcpu} (the index of the vCPU that wrote EOI; not its APIC id) ended level-triggered interrupt {@code vector}. */
    void endOfInterrupt(int vcpu, int vector);
}
