package io.giantvm.engine.boot.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A Linux bzImage and the fields of its setup header the loader needs (Documentation/arch/x86/boot.rst,
 * "The real-mode kernel header"). Only kernels that can be entered in 64-bit mode are accepted
 * (protocol 2.12+ with XLF_KERNEL_64): the loader skips the real-mode and 32-bit code altogether.
 *
 * @param bytes the whole file
 */
public record BzImage(byte[] bytes) {
    /** The setup header starts here, both in the file and in the zero page. */
    public static final int HEADER_START = 0x1F1;
    static final int SETUP_SECTS = 0x1F1;
    static final int BOOT_FLAG = 0x1FE;
    static final int JUMP_END = 0x201;
    static final int HEADER_MAGIC = 0x202;
    static final int VERSION = 0x206;
    static final int TYPE_OF_LOADER = 0x210;
    static final int LOADFLAGS = 0x211;
    static final int RAMDISK_IMAGE = 0x218;
    static final int RAMDISK_SIZE = 0x21C;
    static final int CMD_LINE_PTR = 0x228;
    static final int INITRD_ADDR_MAX = 0x22C;
    static final int KERNEL_ALIGNMENT = 0x230;
    static final int RELOCATABLE = 0x234;
    static final int XLOADFLAGS = 0x236;
    static final int CMDLINE_SIZE = 0x238;
    static final int PREF_ADDRESS = 0x258;
    static final int INIT_SIZE = 0x260;

    static final int MAGIC_HDRS = 0x5372_6448; // "HdrS"
    static final int BOOT_FLAG_VALUE = 0xAA55;
    /** 2.12: xloadflags; 2.10: pref_address and init_size. */
    static final int MIN_VERSION = 0x20C;
    static final int XLF_KERNEL_64 = 1;
    static final int LOADED_HIGH = 1;
    /** Offset of the 64-bit entry point from the start of the protected-mode kernel. */
    static final long STARTUP_64_OFFSET = 0x200;
    private static final int SECTOR = 512;

    public BzImage {
        if (bytes.length < INIT_SIZE + 4) {
            throw new InvalidKernelException("not a bzImage: " + bytes.length + " bytes is shorter than a setup header");
        }
        ByteBuffer b = le(bytes);
        if (b.getInt(HEADER_MAGIC) != MAGIC_HDRS || Short.toUnsignedInt(b.getShort(BOOT_FLAG)) != BOOT_FLAG_VALUE) {
            throw new InvalidKernelException("not a bzImage: no \"HdrS\" setup header at 0x202 (an ELF vmlinux or a compressed file?)");
        }
        int version = Short.toUnsignedInt(b.getShort(VERSION));
        if (version < MIN_VERSION) {
            throw new InvalidKernelException("bzImage boot protocol %d.%02d is too old: 2.12 or newer is needed"
                    .formatted(version >> 8, version & 0xFF));
        }
        if ((b.getShort(XLOADFLAGS) & XLF_KERNEL_64) == 0 || (bytes[LOADFLAGS] & LOADED_HIGH) == 0) {
            throw new InvalidKernelException("this bzImage has no 64-bit entry point (a 32-bit kernel?)");
        }
        if (setupBytes(bytes) >= bytes.length) {
            throw new InvalidKernelException("not a bzImage: its setup code claims more than the whole file");
        }
    }

    /** Reads {@code path}; a missing or unreadable file or one that is not a bzImage is bad input. */
    public static BzImage read(Path path) {
        try {
            return new BzImage(Files.readAllBytes(path));
        } catch (NoSuchFileException e) {
            throw new InvalidKernelException("kernel " + path + " does not exist");
        } catch (IOException e) {
            throw new InvalidKernelException("cannot read kernel " + path + ": " + e.getMessage());
        } catch (InvalidKernelException e) {
            throw new InvalidKernelException(path + ": " + e.getMessage());
        }
    }

    private static int setupBytes(byte[] bytes) {
        int sects = Byte.toUnsignedInt(bytes[SETUP_SECTS]);
        return ((sects == 0 ? 4 : sects) + 1) * SECTOR; // 0 means 4, for ancient kernels
    }

    private static ByteBuffer le(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Boot protocol version, e.g. 0x20F for 2.15. */
    public int protocolVersion() {
        return Short.toUnsignedInt(le(bytes).getShort(VERSION));
    }

    /** File offset of the protected-mode kernel (after the real-mode setup sectors). */
    public int kernelOffset() {
        return setupBytes(bytes);
    }

    public int kernelLength() {
        return bytes.length - kernelOffset();
    }

    /** Where the kernel prefers to be loaded (it can relocate, but then would move itself). */
    public long preferredAddress() {
        return le(bytes).getLong(PREF_ADDRESS);
    }

    /** Bytes of memory from the load address the kernel needs before it sets up its own memory map. */
    public long initSize() {
        return Integer.toUnsignedLong(le(bytes).getInt(INIT_SIZE));
    }

    /** Highest address the initrd may occupy (inclusive). */
    public long initrdAddressMax() {
        return Integer.toUnsignedLong(le(bytes).getInt(INITRD_ADDR_MAX));
    }

    /** Longest command line, without the terminating NUL. */
    public int commandLineMax() {
        return le(bytes).getInt(CMDLINE_SIZE);
    }

    public long kernelAlignment() {
        return Integer.toUnsignedLong(le(bytes).getInt(KERNEL_ALIGNMENT));
    }

    public boolean relocatable() {
        return bytes[RELOCATABLE] != 0;
    }

    /** The setup header as the zero page must carry it: from 0x1F1 to the end given by the jump at 0x200. */
    public byte[] setupHeader() {
        int end = JUMP_END + 1 + Byte.toUnsignedInt(bytes[JUMP_END]);
        byte[] header = new byte[end - HEADER_START];
        System.arraycopy(bytes, HEADER_START, header, 0, header.length);
        return header;
    }
}
