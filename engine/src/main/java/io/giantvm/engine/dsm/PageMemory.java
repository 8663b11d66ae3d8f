package io.giantvm.engine.dsm;

import java.nio.ByteBuffer;

/**
 * One node's guest RAM as the DSM drives it. The DSM calls these only while holding its protocol lock, so an
 * implementation never sees two calls for the same page at once. Pages are indexes ({@code address >>> 12});
 * addresses are guest-physical offsets into guest RAM.
 *
 * <p>The userfaultfd implementation maps these to UFFDIO_COPY (with MODE_WP for read-only), UFFDIO_ZEROPAGE
 * or a zero copy, UFFDIO_WRITEPROTECT set/clear, and MADV_DONTNEED.
 */
public interface PageMemory {

    /**
     * Makes {@code page} present with the {@link DsmLayout#PAGE_SIZE} bytes {@code data} has left, which may be a
     * view into a received frame (read from, never kept): the page goes from the receive buffer to the mapping
     * without another copy on the way.
     */
    void install(long page, ByteBuffer data, boolean writable);

    /** {@link #install(long, ByteBuffer, boolean)} from an array. */
    default void install(long page, byte[] data, boolean writable) {
        install(page, ByteBuffer.wrap(data), writable);
    }

    /** Makes {@code page} present with zeros, without anyone shipping them. */
    void installZero(long page, boolean writable);

    /** A present writable page becomes read-only; its contents stay. */
    void writeProtect(long page);

    /** A present read-only page becomes writable; its contents stay. */
    void writeUnprotect(long page);

    /** A copy of a present page's bytes. */
    byte[] copyOut(long page);

    /** Makes {@code page} absent: the next access by a vCPU faults. */
    void drop(long page);

    /** Engine access to present memory; the range lies within one page. */
    void read(long address, byte[] dst, int offset, int length);

    /** Engine access to present writable memory; the range lies within one page. */
    void write(long address, byte[] src, int offset, int length);
}
