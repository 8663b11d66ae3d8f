package io.giantvm.engine.boot.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The zero page ({@code struct boot_params}) a 64-bit boot loader hands the kernel in RSI: the
 * bzImage's own setup header with the loader's fields filled in, the e820 map and the RSDP address.
 * Offsets are those of arch/x86/include/uapi/asm/bootparam.h.
 */
final class ZeroPage {
    static final int SIZE = 4096;
    static final int ACPI_RSDP_ADDR = 0x070;
    static final int E820_ENTRIES = 0x1E8;
    static final int E820_TABLE = 0x2D0;
    static final int E820_MAX = 128;
    /** "Undefined" boot loader id: we have no assigned one. */
    static final int LOADER_UNDEFINED = 0xFF;

    private ZeroPage() {}

    static byte[] build(BzImage kernel, long commandLine, long initrdAddress, long initrdSize,
                        List<E820Entry> e820, long rsdpAddress) {
        if (e820.size() > E820_MAX) {
            throw new IllegalArgumentException("e820 map has " + e820.size() + " entries; the zero page holds " + E820_MAX);
        }
        ByteBuffer z = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        z.put(BzImage.HEADER_START, kernel.setupHeader());
        z.put(BzImage.TYPE_OF_LOADER, (byte) LOADER_UNDEFINED);
        z.putInt(BzImage.CMD_LINE_PTR, (int) commandLine);
        z.putInt(BzImage.RAMDISK_IMAGE, (int) initrdAddress);
        z.putInt(BzImage.RAMDISK_SIZE, (int) initrdSize);
        z.putLong(ACPI_RSDP_ADDR, rsdpAddress);
        z.put(E820_ENTRIES, (byte) e820.size());
        for (int i = 0; i < e820.size(); i++) {
            E820Entry e = e820.get(i);
            int at = E820_TABLE + i * E820Entry.BYTES;
            z.putLong(at, e.address());
            z.putLong(at + 8, e.size());
            z.putInt(at + 16, e.type());
        }
        return z.array();
    }
}
