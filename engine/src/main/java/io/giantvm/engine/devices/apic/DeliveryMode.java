package io.giantvm.engine.devices.apic;

/** The delivery-mode field (bits 8..10) of the ICR and of LVT entries. */
public enum DeliveryMode {
    FIXED,
    LOWEST_PRIORITY,
    SMI,
    RESERVED_3,
    NMI,
    INIT,
    STARTUP,
    /** ExtINT in LVT entries; reserved in the ICR. */
    RESERVED_7;

    private static final DeliveryMode[] BY_BITS = values();

    /** The mode encoded by the three-bit field {@code bits}. */
    public static DeliveryMode fromBits(int bits) {
        return BY_BITS[bits & 7];
    }

    /** The three-bit field value, as written into the ICR. */
    public int bits() {
        return ordinal();
    }
}
