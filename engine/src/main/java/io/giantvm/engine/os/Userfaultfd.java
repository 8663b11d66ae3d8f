package io.giantvm.engine.os;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A userfaultfd with missing and write-protect tracking (linux/userfaultfd.h, x86-64), the minimum the DSM's
 * page memory needs. Structs are laid out by hand: each is a few u64 fields, offsets noted where used.
 * Not thread-confined: ioctls on one uffd may come from several threads.
 */
public final class Userfaultfd implements AutoCloseable {
    private static final long UFFD_API = 0xAA;
    private static final long UFFD_FEATURE_PAGEFAULT_FLAG_WP = 1L;
    // _IOWR(0xAA, nr, size) = 0xC0000000 | size << 16 | 0xAA << 8 | nr
    private static final long UFFDIO_API = 0xC018AA3FL;        // struct uffdio_api, 24 bytes
    private static final long UFFDIO_REGISTER = 0xC020AA00L;   // struct uffdio_register, 32 bytes
    private static final long UFFDIO_WAKE = 0x8010AA02L;       // _IOR, struct uffdio_range, 16 bytes
    private static final long UFFDIO_COPY = 0xC028AA03L;       // struct uffdio_copy, 40 bytes
    private static final long UFFDIO_WRITEPROTECT = 0xC018AA06L; // struct uffdio_writeprotect, 24 bytes
    private static final long REGISTER_MODE_MISSING = 1;
    private static final long REGISTER_MODE_WP = 2;
    private static final long COPY_MODE_WP = 2;
    private static final long WRITEPROTECT_MODE_WP = 1;

    /** uffd_msg: 32 bytes; event at 0, pagefault flags at 8, address at 16. */
    public static final int MSG_BYTES = 32;
    public static final int EVENT_PAGEFAULT = 0x12;
    public static final long PAGEFAULT_FLAG_WRITE = 1;
    public static final long PAGEFAULT_FLAG_WP = 2;

    private static final int POLLIN = 1;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle READ = LINKER.downcallHandle(LINKER.defaultLookup().find("read").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle POLL = LINKER.downcallHandle(LINKER.defaultLookup().find("poll").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final int O_CLOEXEC = 0x80000;
    private static final int O_NONBLOCK = 0x800;

    private final int fd;
    /** Per-thread argument buffers: ioctls run on the uffd reader and on mesh threads concurrently. */
    private final ThreadLocal<MemorySegment> args = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(64, 8));
    private final ThreadLocal<MemorySegment> pollFd = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(8, 4));

    /** A uffd with write-protect fault reporting; throws with the reason if this kernel cannot. */
    public Userfaultfd() {
        this.fd = Libc.userfaultfd(O_CLOEXEC | O_NONBLOCK);
        MemorySegment api = args.get();
        api.fill((byte) 0);
        api.set(JAVA_LONG, 0, UFFD_API);
        api.set(JAVA_LONG, 8, UFFD_FEATURE_PAGEFAULT_FLAG_WP);
        try {
            Libc.ioctl(fd, UFFDIO_API, api, "UFFDIO_API (write-protect faults)");
        } catch (RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    /** Reports missing and write-protect faults in [address, address+length) of this process. */
    public void register(MemorySegment range) {
        MemorySegment r = args.get();
        r.set(JAVA_LONG, 0, range.address());
        r.set(JAVA_LONG, 8, range.byteSize());
        r.set(JAVA_LONG, 16, REGISTER_MODE_MISSING | REGISTER_MODE_WP);
        r.set(JAVA_LONG, 24, 0);
        Libc.ioctl(fd, UFFDIO_REGISTER, r, "UFFDIO_REGISTER(missing|wp)");
    }

    /** Atomically fills an absent page from {@code src} and wakes its waiters; read-only if {@code writeProtected}. */
    public void copy(long dst, MemorySegment src, long length, boolean writeProtected) {
        MemorySegment c = args.get();
        c.set(JAVA_LONG, 0, dst);
        c.set(JAVA_LONG, 8, src.address());
        c.set(JAVA_LONG, 16, length);
        c.set(JAVA_LONG, 24, writeProtected ? COPY_MODE_WP : 0);
        c.set(JAVA_LONG, 32, 0);
        Libc.ioctl(fd, UFFDIO_COPY, c, "UFFDIO_COPY at 0x" + Long.toHexString(dst));
    }

    /** Sets or clears write protection; clearing wakes threads waiting in a write-protect fault. */
    public void writeProtect(long address, long length, boolean protect) {
        MemorySegment w = args.get();
        w.set(JAVA_LONG, 0, address);
        w.set(JAVA_LONG, 8, length);
        w.set(JAVA_LONG, 16, protect ? WRITEPROTECT_MODE_WP : 0);
        Libc.ioctl(fd, UFFDIO_WRITEPROTECT, w, "UFFDIO_WRITEPROTECT(" + (protect ? "set" : "clear") + ") at 0x" + Long.toHexString(address));
    }

    /** Wakes threads waiting on faults in the range (when the page became usable without an ioctl that wakes). */
    public void wake(long address, long length) {
        MemorySegment w = args.get();
        w.set(JAVA_LONG, 0, address);
        w.set(JAVA_LONG, 8, length);
        Libc.ioctl(fd, UFFDIO_WAKE, w, "UFFDIO_WAKE at 0x" + Long.toHexString(address));
    }

    /** Whether an event is waiting to be read (a poll that does not wait). */
    public boolean hasEvent() {
        try {
            MemorySegment p = pollFd.get();
            p.set(JAVA_INT, 0, fd);
            p.set(JAVA_INT, 4, POLLIN);
            return (int) POLL.invokeExact(p, 1L, 0) > 0;
        } catch (Throwable t) {
            throw new IllegalStateException("polling userfaultfd", t);
        }
    }

    /**
     * Waits up to {@code timeoutMillis} for one event and copies it into {@code msg} ({@link #MSG_BYTES} bytes).
     *
     * @return false when none arrived in time
     */
    public boolean read(MemorySegment msg, int timeoutMillis) {
        try {
            MemorySegment p = pollFd.get();
            p.set(JAVA_INT, 0, fd);
            p.set(JAVA_INT, 4, POLLIN); // struct pollfd: short events = POLLIN, short revents = 0 (little-endian)
            int ready = (int) POLL.invokeExact(p, 1L, timeoutMillis);
            if (ready <= 0) {
                return false;
            }
            long n = (long) READ.invokeExact(fd, msg, (long) MSG_BYTES);
            return n == MSG_BYTES; // EAGAIN (another reader won, or a spurious wake) reads as -1
        } catch (Throwable t) {
            throw new IllegalStateException("reading userfaultfd", t);
        }
    }

    @Override
    public void close() {
        Libc.close(fd);
    }
}
