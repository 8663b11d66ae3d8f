package io.giantvm.engine.guest;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The Multiboot v1 header of a flat guest image with the a.out kludge (flags bit 16), i.e. what a
 * loader needs: copy image bytes {@code [0, loadEnd - loadAddress)} to {@code loadAddress}, zero up to
 * {@code bssEnd}, start at {@code entry} in 32-bit protected mode.
 *
 * @param fileOffset where the header sits in the image (within the first 8 KiB, 4-byte aligned)
 */
public record MultibootHeader(int fileOffset, int flags, long headerAddress, long loadAddress, long loadEnd,
        long bssEnd, long entry) {

    public static final int MAGIC = 0x1BADB002;
    public static final int FLAG_MEMORY_INFO = 1 << 1;
    public static final int FLAG_AOUT_KLUDGE = 1 << 16;
    private static final int SEARCH_BYTES = 8192;
    private static final int HEADER_BYTES = 32;

    /**
     * Finds and checks the header.
     *
     * @throws IllegalArgumentException if there is none, its checksum is wrong, it lacks the a.out
     *                                  kludge, or its addresses are inconsistent with the file
     */
    public static MultibootHeader find(byte[] image) {
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        int limit = Math.min(SEARCH_BYTES, image.length) - HEADER_BYTES;
        for (int off = 0; off <= limit; off += 4) {
            int magic = b.getInt(off);
            int flags = b.getInt(off + 4);
            if (magic == MAGIC && magic + flags + b.getInt(off + 8) == 0) {
                return check(off, flags, b);
            }
        }
        throw new IllegalArgumentException("no Multiboot v1 header in the first 8 KiB of the image");
    }

    private static MultibootHeader check(int off, int flags, ByteBuffer b) {
        if ((flags & FLAG_AOUT_KLUDGE) == 0) {
            throw new IllegalArgumentException("Multiboot header lacks the a.out kludge (flags bit 16): "
                    + "only flat images are supported");
        }
        MultibootHeader h = new MultibootHeader(off, flags, u32(b, off + 12), u32(b, off + 16), u32(b, off + 20),
                u32(b, off + 24), u32(b, off + 28));
        long fileStart = h.headerAddress - off;   // address of file offset 0
        if (h.loadAddress != fileStart) {
            throw new IllegalArgumentException("Multiboot load_addr must be the address of file offset 0");
        }
        if (h.loadEnd < h.loadAddress || h.loadEnd - h.loadAddress > b.capacity()) {
            throw new IllegalArgumentException("Multiboot load_end_addr lies outside the image file");
        }
        if (h.bssEnd < h.loadEnd) {
            throw new IllegalArgumentException("Multiboot bss_end_addr lies before load_end_addr");
        }
        if (h.entry < h.loadAddress || h.entry >= h.loadEnd) {
            throw new IllegalArgumentException("Multiboot entry_addr lies outside the loaded image");
        }
        return h;
    }

    /** Bytes of the file to copy to {@link #loadAddress()}. */
    public int loadBytes() {
        return (int) (loadEnd - loadAddress);
    }

    private static long u32(ByteBuffer b, int off) {
        return Integer.toUnsignedLong(b.getInt(off));
    }
}
