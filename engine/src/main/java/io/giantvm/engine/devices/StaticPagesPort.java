package io.giantvm.engine.devices;

/**
 * The guest's way to declare pages static (it will never write them again), so that a VM spread over nodes can
 * keep a private copy of them on every node: a 32-bit write of a guest-physical address at offset 0, then of a
 * byte length at offset 4; the second write declares the range and returns once it is done. Both must be
 * page-aligned. What "declared" does is the engine's business: nothing on one node, the DSM's static pages on many.
 */
public final class StaticPagesPort implements BusDevice {
    private static final long PAGE_MASK = 0xFFF;

    /** Takes a validated, page-aligned range out of coherence. */
    @FunctionalInterface
    public interface Declaration {
        void declare(long address, long length);
    }

    private final long ramBytes;
    private final Declaration declaration;
    private long address = -1;

    public StaticPagesPort(long ramBytes, Declaration declaration) {
        this.ramBytes = ramBytes;
        this.declaration = declaration;
    }

    @Override
    public long read(int vcpu, long offset, int size) {
        return 0;
    }

    @Override
    public synchronized void write(int vcpu, long offset, int size, long value) {
        long v = value & 0xFFFF_FFFFL;
        if (offset == 0) {
            address = v;
            return;
        }
        if (offset != 4) {
            return;
        }
        if (address < 0 || (address & PAGE_MASK) != 0 || (v & PAGE_MASK) != 0 || v == 0 || address + v > ramBytes) {
            throw new IllegalArgumentException("vCPU %d declared static pages [0x%x, +0x%x): the range must be page-aligned,"
                    .formatted(vcpu, address, v) + " non-empty and inside the " + ramBytes + " bytes of guest RAM");
        }
        declaration.declare(address, v);
        address = -1;
    }
}
