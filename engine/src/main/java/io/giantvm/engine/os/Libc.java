package io.giantvm.engine.os;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * FFM bindings to the libc calls the engine needs. Every call that can fail captures errno in the
 * same downcall (reading it afterwards would race with the JVM's own libc use) and throws a
 * {@link NativeException} naming the call.
 */
public final class Libc {
    public static final int O_RDWR = 0x2;
    public static final int O_CLOEXEC = 0x80000;
    public static final int O_NONBLOCK = 0x800;

    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_NORESERVE = 0x4000;
    public static final int MADV_DONTNEED = 4;

    public static final int SIGUSR1 = 10;
    public static final int SIG_BLOCK = 0;
    public static final int SIG_UNBLOCK = 1;

    private static final long SYS_GETTID = 186;
    private static final long SYS_TGKILL = 234;
    private static final long SYS_USERFAULTFD = 323;
    private static final long SYS_SCHED_SETAFFINITY = 203;
    private static final long SYS_SCHED_GETAFFINITY = 204;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    /** One capture buffer per thread: calls on the vCPU exit path must not allocate. */
    private static final ThreadLocal<MemorySegment> CAPTURED =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE));

    private static final MethodHandle OPEN = errnoCall("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), -1);
    private static final MethodHandle CLOSE = errnoCall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), -1);
    private static final MethodHandle IOCTL_PTR =
            errnoCall("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), 2);
    private static final MethodHandle IOCTL_LONG =
            errnoCall("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), 2);
    private static final MethodHandle MMAP = errnoCall("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), -1);
    private static final MethodHandle MUNMAP =
            errnoCall("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), -1);
    private static final MethodHandle MADVISE =
            errnoCall("madvise", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), -1);
    private static final MethodHandle SYSCALL3 = errnoCall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), 1);
    private static final MethodHandle GETPID = plainCall("getpid", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle PTHREAD_SIGMASK =
            plainCall("pthread_sigmask", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SIGTIMEDWAIT =
            errnoCall("sigtimedwait", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS), -1);
    private static final MethodHandle STRERROR = plainCall("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));

    /** Kernel sigset_t as the signal syscalls see it: 64 signals, 8 bytes. */
    public static final int KERNEL_SIGSET_BYTES = 8;
    /** glibc's sigset_t, which pthread_sigmask and sigtimedwait take: 1024 bits. */
    public static final int LIBC_SIGSET_BYTES = 128;

    private Libc() {}

    public static int open(String path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) OPEN.invokeExact(CAPTURED.get(), arena.allocateFrom(path), flags);
            return check(fd, "open(" + path + ")");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void close(int fd) {
        try {
            check((int) CLOSE.invokeExact(CAPTURED.get(), fd), "close");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** ioctl with a pointer argument; {@code name} is the request's name for error messages. */
    public static int ioctl(int fd, long request, MemorySegment arg, String name) {
        try {
            return check((int) IOCTL_PTR.invokeExact(CAPTURED.get(), fd, request, arg), name);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** ioctl with an integer argument (or none: pass 0). */
    public static int ioctl(int fd, long request, long arg, String name) {
        try {
            return check((int) IOCTL_LONG.invokeExact(CAPTURED.get(), fd, request, arg), name);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * ioctl that reports EINTR as a return value instead of an exception: KVM_RUN returns it when
     * a kick signal arrives, which is the normal way out of the guest.
     *
     * @return the ioctl's result, or {@code -EINTR}
     */
    public static int ioctlInterruptible(int fd, long request, long arg, String name) {
        try {
            MemorySegment state = CAPTURED.get();
            int rc = (int) IOCTL_LONG.invokeExact(state, fd, request, arg);
            if (rc < 0) {
                int errno = (int) ERRNO.get(state, 0L);
                if (errno == Errno.EINTR || errno == Errno.EAGAIN) {
                    return -errno;
                }
                throw new NativeException(name, errno);
            }
            return rc;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Maps {@code length} bytes; the segment is unbounded to Java until reinterpreted, so it is sized here. */
    public static MemorySegment mmap(long length, int prot, int flags, int fd, long offset, String what) {
        try {
            MemorySegment p = (MemorySegment) MMAP.invokeExact(
                    CAPTURED.get(), MemorySegment.NULL, length, prot, flags, fd, offset);
            if (p.address() == -1L) {
                throw new NativeException("mmap(" + what + ", " + length + " bytes)", errno());
            }
            return p.reinterpret(length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void munmap(MemorySegment segment) {
        try {
            check((int) MUNMAP.invokeExact(CAPTURED.get(), segment, segment.byteSize()), "munmap");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void madvise(MemorySegment range, int advice) {
        try {
            check((int) MADVISE.invokeExact(CAPTURED.get(), range, range.byteSize(), advice), "madvise");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int getpid() {
        try {
            return (int) GETPID.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The calling thread's kernel thread id (what tgkill addresses). */
    public static int gettid() {
        return (int) syscall(SYS_GETTID, 0, 0, 0, "gettid");
    }

    public static void tgkill(int pid, int tid, int signal) {
        syscall(SYS_TGKILL, pid, tid, signal, "tgkill");
    }

    /** A userfaultfd file descriptor (the syscall; /dev/userfaultfd would need extra permissions). */
    public static int userfaultfd(int flags) {
        return (int) syscall(SYS_USERFAULTFD, flags, 0, 0, "userfaultfd");
    }

    /** sched_setaffinity(2) of thread {@code tid} (0: the caller) to the CPUs whose bits are set in {@code mask}. */
    public static void schedSetaffinity(int tid, MemorySegment mask) {
        syscall(SYS_SCHED_SETAFFINITY, tid, mask.byteSize(), mask.address(), "sched_setaffinity");
    }

    /** sched_getaffinity(2) of thread {@code tid} (0: the caller) into {@code mask}; the bytes the kernel wrote. */
    public static int schedGetaffinity(int tid, MemorySegment mask) {
        return (int) syscall(SYS_SCHED_GETAFFINITY, tid, mask.byteSize(), mask.address(), "sched_getaffinity");
    }

    /** pthread_sigmask on the calling thread; {@code set} may be NULL to only read the old mask. */
    public static void pthreadSigmask(int how, MemorySegment set, MemorySegment oldSet) {
        try {
            int rc = (int) PTHREAD_SIGMASK.invokeExact(how, set, oldSet);
            if (rc != 0) {
                throw new NativeException("pthread_sigmask", rc); // returns the error, no errno
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Consumes one pending signal of {@code set} without waiting.
     *
     * @return the signal number, or -1 when none was pending
     */
    public static int sigtimedwaitNow(MemorySegment set, MemorySegment zeroTimespec) {
        try {
            MemorySegment state = CAPTURED.get();
            int rc = (int) SIGTIMEDWAIT.invokeExact(state, set, MemorySegment.NULL, zeroTimespec);
            if (rc < 0) {
                int errno = (int) ERRNO.get(state, 0L);
                if (errno == Errno.EAGAIN || errno == Errno.EINTR) {
                    return -1;
                }
                throw new NativeException("sigtimedwait", errno);
            }
            return rc;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A glibc sigset_t holding exactly {@code signals}. */
    public static MemorySegment sigset(Arena arena, int... signals) {
        MemorySegment set = arena.allocate(LIBC_SIGSET_BYTES, 8);
        for (int s : signals) {
            long word = set.getAtIndex(ValueLayout.JAVA_LONG, (s - 1) / 64);
            set.setAtIndex(ValueLayout.JAVA_LONG, (s - 1) / 64, word | (1L << ((s - 1) % 64)));
        }
        return set;
    }

    public static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    private static long syscall(long number, long a, long b, long c, String name) {
        try {
            long rc = (long) SYSCALL3.invokeExact(CAPTURED.get(), number, a, b, c);
            if (rc < 0) {
                throw new NativeException(name, errno());
            }
            return rc;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static int check(int rc, String name) {
        if (rc < 0) {
            throw new NativeException(name, errno());
        }
        return rc;
    }

    /** The errno the calling thread's last {@link #errnoCall} captured into {@link #captured()}. */
    static int errno() {
        return (int) ERRNO.get(CAPTURED.get(), 0L);
    }

    /** The calling thread's capture buffer, the first argument of every {@link #errnoCall} handle. */
    static MemorySegment captured() {
        return CAPTURED.get();
    }

    /** A libc function whose errno is captured in the same downcall; {@code firstVariadic} -1 if it has none. */
    static MethodHandle errnoCall(String name, FunctionDescriptor fd, int firstVariadic) {
        Linker.Option capture = Linker.Option.captureCallState("errno");
        MemorySegment symbol = LIBC.find(name).orElseThrow(() -> new IllegalStateException("libc lacks " + name));
        return firstVariadic < 0
                ? LINKER.downcallHandle(symbol, fd, capture)
                : LINKER.downcallHandle(symbol, fd, capture, Linker.Option.firstVariadicArg(firstVariadic));
    }

    private static MethodHandle plainCall(String name, FunctionDescriptor fd) {
        MemorySegment symbol = LIBC.find(name).orElseThrow(() -> new IllegalStateException("libc lacks " + name));
        return LINKER.downcallHandle(symbol, fd);
    }

    /** Throws {@code t} as it is if unchecked, else wrapped; declared to return so callers can {@code throw} it. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("native call failed", t);
    }
}
