package io.giantvm.engine.devices.apic;

/** ICR bit 11: whether the destination field is an APIC id or a logical (LDR/DFR-matched) mask. */
public enum DestinationMode {
    PHYSICAL,
    LOGICAL
}
