package io.giantvm.engine.dsm.uffd;

import io.giantvm.engine.dsm.DsmLayout;
import io.giantvm.engine.dsm.PageMemory;
import io.giantvm.engine.os.Libc;
import io.giantvm.engine.os.Userfaultfd;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;

/**
 * Guest RAM driven by the DSM through userfaultfd. The mapping must be private anonymous memory that nothing has
 * touched yet (every page absent): from then on the DSM alone decides what is present, and the engine reaches
 * guest memory only through {@link io.giantvm.engine.dsm.GuestMemoryAccess}.
 *
 * <ul>
 *   <li>install: UFFDIO_COPY, with MODE_WP for a read-only copy (so a later write raises a write-protect fault);</li>
 *   <li>zeros: UFFDIO_COPY from a local zero page — not UFFDIO_ZEROPAGE, whose shared zero page is not
 *       write-protected and would let a write slip past the DSM by copy-on-write;</li>
 *   <li>downgrade / upgrade: UFFDIO_WRITEPROTECT set / clear (clear wakes the writer);</li>
 *   <li>drop: MADV_DONTNEED, so the next access is a missing fault again.</li>
 * </ul>
 */
public final class UffdPageMemory implements PageMemory, AutoCloseable {
    private final MemorySegment ram;
    private final Userfaultfd uffd;
    private final MemorySegment zero;
    /**
     * UFFDIO_COPY needs its source in native memory: a page from a direct buffer (the TCP transport's receive
     * buffer) is copied from where it lies; any other goes through one staging page per installing thread.
     */
    private final ThreadLocal<MemorySegment> staging =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(DsmLayout.PAGE_SIZE, DsmLayout.PAGE_SIZE));

    public UffdPageMemory(MemorySegment ram) {
        if (ram.address() % DsmLayout.PAGE_SIZE != 0 || ram.byteSize() % DsmLayout.PAGE_SIZE != 0) {
            throw new IllegalArgumentException("guest RAM must be whole pages at a page boundary");
        }
        this.ram = ram;
        this.uffd = new Userfaultfd();
        this.uffd.register(ram);
        this.zero = Arena.ofAuto().allocate(DsmLayout.PAGE_SIZE, DsmLayout.PAGE_SIZE);
    }

    /** A fresh private anonymous mapping of {@code bytes}, for tests and benchmarks that own their RAM. */
    public static MemorySegment mapAnonymous(long bytes) {
        return Libc.mmap(bytes, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | Libc.MAP_NORESERVE,
                -1, 0, "DSM guest RAM");
    }

    public MemorySegment ram() {
        return ram;
    }

    Userfaultfd uffd() {
        return uffd;
    }

    long hostAddress(long page) {
        return ram.address() + DsmLayout.addressOf(page);
    }

    @Override
    public void install(long page, ByteBuffer data, boolean writable) {
        if (data.remaining() != DsmLayout.PAGE_SIZE) {
            throw new IllegalArgumentException("a page install needs " + DsmLayout.PAGE_SIZE + " bytes, got " + data.remaining());
        }
        MemorySegment src;
        if (data.isDirect()) {
            src = MemorySegment.ofBuffer(data);
        } else {
            src = staging.get();
            MemorySegment.copy(MemorySegment.ofBuffer(data), 0, src, 0, DsmLayout.PAGE_SIZE);
        }
        uffd.copy(hostAddress(page), src, DsmLayout.PAGE_SIZE, !writable);
    }

    @Override
    public void installZero(long page, boolean writable) {
        uffd.copy(hostAddress(page), zero, DsmLayout.PAGE_SIZE, !writable);
    }

    @Override
    public void writeProtect(long page) {
        uffd.writeProtect(hostAddress(page), DsmLayout.PAGE_SIZE, true);
    }

    @Override
    public void writeUnprotect(long page) {
        uffd.writeProtect(hostAddress(page), DsmLayout.PAGE_SIZE, false);
    }

    @Override
    public byte[] copyOut(long page) {
        byte[] b = new byte[DsmLayout.PAGE_SIZE];
        MemorySegment.copy(ram, ValueLayout.JAVA_BYTE, DsmLayout.addressOf(page), b, 0, b.length);
        return b;
    }

    @Override
    public void drop(long page) {
        Libc.madvise(ram.asSlice(DsmLayout.addressOf(page), DsmLayout.PAGE_SIZE), Libc.MADV_DONTNEED);
    }

    @Override
    public void read(long address, byte[] dst, int offset, int length) {
        MemorySegment.copy(ram, ValueLayout.JAVA_BYTE, address, dst, offset, length);
    }

    @Override
    public void write(long address, byte[] src, int offset, int length) {
        MemorySegment.copy(src, offset, ram, ValueLayout.JAVA_BYTE, address, length);
    }

    @Override
    public void close() {
        uffd.close();
    }
}
