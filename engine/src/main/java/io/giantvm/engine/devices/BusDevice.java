package io.giantvm.engine.devices;

/**
 * A device reachable through port I/O or MMIO.
 *
 * <p>Offsets are relative to the base the device was registered at; {@code size} is the access
 * width in bytes (1, 2, 4 or 8). {@code vcpu} is the global index of the accessing vCPU, which
 * per-CPU devices such as the local APIC need. Calls arrive on vCPU threads, possibly several at
 * once: a device guards its own state.
 */
public interface BusDevice {
    long read(int vcpu, long offset, int size);

    void write(int vcpu, long offset, int size, long value);
}
