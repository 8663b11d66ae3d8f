package io.giantvm.engine.boot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A flat kernel image with a Multiboot v1 header using the "a.out kludge" (flags bit 16): the
 * header itself says where to load which bytes and where to enter. QEMU's -kernel accepts the
 * same image, which is how the bundled guest is tested without KVM.
 */
public record MultibootImage(byte[] bytes, long loadAddress, int fileOffset, int loadLength, long bssEnd, long entry) {
    public static final int MAGIC = 0x1BADB002;
    private static final int SEARCH_LIMIT = 8192;
    private static final int FLAG_ADDRESS_FIELDS = 1 << 16;

    /** Finds and checks the header; an image without a usable one is rejected with the reason. */
    public static MultibootImage parse(byte[] image) {
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        for (int off = 0; off + 32 <= Math.min(image.length, SEARCH_LIMIT); off += 4) {
            if (b.getInt(off) != MAGIC) {
                continue;
            }
            int flags = b.getInt(off + 4);
            if (MAGIC + flags + b.getInt(off + 8) != 0) {
                throw new IllegalArgumentException("multiboot header at offset " + off + " has a bad checksum");
            }
            if ((flags & FLAG_ADDRESS_FIELDS) == 0) {
                throw new IllegalArgumentException(
                        "multiboot header lacks the address fields (flags bit 16); ELF loading is not supported");
            }
            long headerAddr = Integer.toUnsignedLong(b.getInt(off + 12));
            long loadAddr = Integer.toUnsignedLong(b.getInt(off + 16));
            long loadEnd = Integer.toUnsignedLong(b.getInt(off + 20));
            long bssEnd = Integer.toUnsignedLong(b.getInt(off + 24));
            long entry = Integer.toUnsignedLong(b.getInt(off + 28));
            long fileOffset = off - (headerAddr - loadAddr);
            if (headerAddr < loadAddr || fileOffset < 0) {
                throw new IllegalArgumentException("multiboot header_addr 0x%x lies before load_addr 0x%x"
                        .formatted(headerAddr, loadAddr));
            }
            long length = loadEnd == 0 ? image.length - fileOffset : loadEnd - loadAddr;
            if (length < 0 || fileOffset + length > image.length) {
                throw new IllegalArgumentException("multiboot load range 0x%x-0x%x exceeds the %d-byte image"
                        .formatted(loadAddr, loadEnd, image.length));
            }
            if (bssEnd != 0 && bssEnd < loadAddr + length) {
                throw new IllegalArgumentException("multiboot bss_end_addr 0x%x lies inside the loaded image".formatted(bssEnd));
            }
            if (entry < loadAddr || entry >= loadAddr + length) {
                throw new IllegalArgumentException("multiboot entry 0x%x lies outside the loaded image".formatted(entry));
            }
            return new MultibootImage(image, loadAddr, (int) fileOffset, (int) length,
                    bssEnd == 0 ? loadAddr + length : bssEnd, entry);
        }
        throw new IllegalArgumentException("no multiboot header in the first " + SEARCH_LIMIT + " bytes of the image");
    }

    /** First guest-physical address past the image and its bss. */
    public long end() {
        return bssEnd;
    }
}
