package io.giantvm.engine.boot.linux;

/** One range of the BIOS e820 memory map the zero page hands the kernel. */
public record E820Entry(long address, long size, int type) {
    public static final int RAM = 1;
    public static final int RESERVED = 2;
    /** Bytes per entry in boot_params.e820_table. */
    static final int BYTES = 20;
}
