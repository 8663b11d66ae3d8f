package io.giantvm.engine.devices.apic;

/**
 * ICR bit 15. Only INIT uses it in practice: an INIT with level trigger and level de-assert is
 * the legacy "INIT level de-assert" synchronisation message, which resets nothing.
 */
public enum TriggerMode {
    EDGE,
    LEVEL
}
