package io.giantvm.engine.vm;

import io.giantvm.engine.dsm.GuestMemoryAccess;
import io.giantvm.engine.memory.GuestAddressException;
import io.giantvm.engine.memory.PhysicalMemory;

/**
 * The engine's view of guest RAM on a node of a distributed VM: every read and write goes through the DSM,
 * so the loader and the devices see what the vCPUs of every node wrote and their writes are seen everywhere.
 */
final class DsmPhysicalMemory implements PhysicalMemory {
    private final GuestMemoryAccess access;
    private final long size;

    DsmPhysicalMemory(GuestMemoryAccess access, long size) {
        this.access = access;
        this.size = size;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void read(long gpa, byte[] into, int offset, int length) {
        check(gpa, length);
        access.read(gpa, into, offset, length);
    }

    @Override
    public void write(long gpa, byte[] from, int offset, int length) {
        check(gpa, length);
        access.write(gpa, from, offset, length);
    }

    private void check(long gpa, int length) {
        if (gpa < 0 || length < 0 || gpa + length > size) {
            throw new GuestAddressException(gpa, length, size);
        }
    }
}
