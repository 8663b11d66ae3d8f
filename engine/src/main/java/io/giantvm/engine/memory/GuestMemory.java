package io.giantvm.engine.memory;

import io.giantvm.engine.os.Libc;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Guest RAM: one private anonymous mapping, reserved lazily (MAP_NORESERVE) so a large guest
 * costs only the pages it touches. Private rather than shared because userfaultfd's
 * write-protect mode, which the DSM needs, works on private anonymous memory.
 */
public final class GuestMemory implements PhysicalMemory, AutoCloseable {
    private final MemorySegment mapping;

    public GuestMemory(long bytes) {
        if (bytes % GuestLayout.PAGE_SIZE != 0) {
            throw new IllegalArgumentException("guest memory must be a whole number of 4 KiB pages: " + bytes);
        }
        mapping = Libc.mmap(bytes, Libc.PROT_READ | Libc.PROT_WRITE,
                Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | Libc.MAP_NORESERVE, -1, 0, "guest RAM");
    }

    /** The host mapping, for KVM memory slots and userfaultfd registration. */
    public MemorySegment hostMapping() {
        return mapping;
    }

    @Override
    public long size() {
        return mapping.byteSize();
    }

    @Override
    public void read(long gpa, byte[] into, int offset, int length) {
        check(gpa, length);
        MemorySegment.copy(mapping, ValueLayout.JAVA_BYTE, gpa, into, offset, length);
    }

    @Override
    public void write(long gpa, byte[] from, int offset, int length) {
        check(gpa, length);
        MemorySegment.copy(from, offset, mapping, ValueLayout.JAVA_BYTE, gpa, length);
    }

    private void check(long gpa, int length) {
        if (gpa < 0 || length < 0 || gpa + length > mapping.byteSize()) {
            throw new GuestAddressException(gpa, length, mapping.byteSize());
        }
    }

    @Override
    public void close() {
        Libc.munmap(mapping);
    }
}
