package io.giantvm.engine.devices;

/**
 * The hardware-reduced ACPI sleep control and status registers (ACPI 6.5 §4.8.3.7/8), one byte each:
 * how a guest OS powers the machine off. Linux writes SLP_TYPx = the _S5 value from the DSDT, with
 * SLP_EN, to the control register; that is a power-off the guest asked for, so the run ends cleanly.
 * The status register only has to read "not woken" (0) and take writes.
 */
public final class AcpiSleepControl implements BusDevice {
    /** Offset 0: sleep control; offset 1: sleep status. */
    public static final int PORTS = 2;
    static final int SLEEP_ENABLE = 1 << 5;
    static final int SLEEP_TYPE_SHIFT = 2;
    static final int SLEEP_TYPE_MASK = 0x7;
    /** The SLP_TYP value the DSDT's _S5 object names (see {@code AcpiTables}). */
    public static final int S5_SLEEP_TYPE = 5;

    private final Runnable onPowerOff;

    public AcpiSleepControl(Runnable onPowerOff) {
        this.onPowerOff = onPowerOff;
    }

    @Override
    public long read(int vcpu, long offset, int size) {
        return 0;
    }

    @Override
    public void write(int vcpu, long offset, int size, long value) {
        boolean s5 = ((value >>> SLEEP_TYPE_SHIFT) & SLEEP_TYPE_MASK) == S5_SLEEP_TYPE;
        if (offset == 0 && (value & SLEEP_ENABLE) != 0 && s5) {
            onPowerOff.run();
        }
    }
}
