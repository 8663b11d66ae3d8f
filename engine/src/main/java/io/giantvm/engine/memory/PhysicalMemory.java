package io.giantvm.engine.memory;

/**
 * The engine's own view of guest RAM (loaders, devices that read guest buffers). Single-node
 * memory reads the mapping directly; distributed memory goes through the DSM so that the
 * engine's accesses stay coherent with the vCPUs'.
 */
public interface PhysicalMemory {
    long size();

    void read(long gpa, byte[] into, int offset, int length);

    void write(long gpa, byte[] from, int offset, int length);

    default byte[] read(long gpa, int length) {
        byte[] b = new byte[length];
        read(gpa, b, 0, length);
        return b;
    }

    default void write(long gpa, byte[] from) {
        write(gpa, from, 0, from.length);
    }
}
