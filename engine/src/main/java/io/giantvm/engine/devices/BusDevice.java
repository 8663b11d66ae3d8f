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

    /**
     * Whether an access may wait on the mesh: touch guest memory (a DSM fault) or wait for another node. The I/O
     * node serves such accesses forwarded from other nodes on its io-server thread, since what they wait for may
     * arrive on the very receive thread that brought them; the rest right on that receive thread, saving a thread
     * hand-off per forwarded access. Only devices that work on their own registers alone and never block say no.
     */
    default boolean mayWaitOnMesh() {
        return true;
    }
}
