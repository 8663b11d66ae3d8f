package io.giantvm.engine.os;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * An epoll instance watching one descriptor for input, level-triggered, that another thread can disarm without
 * waking the waiter: {@code epoll_ctl(MOD)} with no events leaves a thread asleep in {@code epoll_wait} asleep
 * whatever arrives, and arming it again wakes that thread at once if input is pending. One waiting thread. (A hang-up
 * or error wakes it even while disarmed: the kernel always reports those.)
 */
public final class Epoll implements AutoCloseable {
    public static final int EPOLLIN = 0x001;
    private static final int EPOLL_CLOEXEC = 0x80000;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLL_CTL_MOD = 3;
    private static final int EVENT_BYTES = 12; // struct epoll_event is packed on x86-64: u32 events, u64 data

    private static final MethodHandle CREATE = Libc.errnoCall("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT), -1);
    private static final MethodHandle CTL =
            Libc.errnoCall("epoll_ctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), -1);
    private static final MethodHandle WAIT =
            Libc.errnoCall("epoll_wait", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), -1);
    /** Per-thread event argument: arming happens on a fault's critical path, twice per fault, so it does not allocate. */
    private static final ThreadLocal<MemorySegment> EVENT = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(EVENT_BYTES, 8));

    private final int epfd;
    private final int fd;

    /** Watches {@code fd} for input (armed). */
    public Epoll(int fd) {
        this.fd = fd;
        try {
            int e = (int) CREATE.invokeExact(Libc.captured(), EPOLL_CLOEXEC);
            if (e < 0) {
                throw new NativeException("epoll_create1", Libc.errno());
            }
            this.epfd = e;
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
        control(EPOLL_CTL_ADD, EPOLLIN);
    }

    /** Stops (false) or resumes (true) waking the waiter on input. Any thread. */
    public void arm(boolean armed) {
        control(EPOLL_CTL_MOD, armed ? EPOLLIN : 0);
    }

    /** Sleeps until the descriptor has input (or hung up) while armed; returns early on a signal. */
    public void await() {
        try {
            if ((int) WAIT.invokeExact(Libc.captured(), epfd, EVENT.get(), 1, -1) < 0 && Libc.errno() != Errno.EINTR) {
                throw new NativeException("epoll_wait", Libc.errno());
            }
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    private void control(int op, int events) {
        try {
            MemorySegment ev = EVENT.get();
            ev.set(JAVA_INT, 0, events);
            ev.set(JAVA_LONG.withByteAlignment(4), 4, fd);
            if ((int) CTL.invokeExact(Libc.captured(), epfd, op, fd, ev) < 0) {
                throw new NativeException("epoll_ctl", Libc.errno());
            }
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** Call once the waiting thread has returned for good. */
    @Override
    public void close() {
        Libc.close(epfd);
    }
}
