package io.giantvm.engine.os;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * An epoll instance watching one descriptor for input, level-triggered, that another thread can disarm without
 * waking the waiter: {@code epoll_ctl(MOD)} with no events leaves a thread asleep in {@code epoll_wait} asleep
 * whatever arrives, and arming it again wakes that thread at once if input is pending. One waiting thread.
 */
public final class Epoll implements AutoCloseable {
    public static final int EPOLLIN = 0x001;
    private static final int EPOLL_CLOEXEC = 0x80000;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLL_CTL_MOD = 3;
    private static final int EVENT_BYTES = 12; // struct epoll_event is packed on x86-64: u32 events, u64 data

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle CREATE = errnoCall("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle CTL =
            errnoCall("epoll_ctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle WAIT =
            errnoCall("epoll_wait", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));

    /** Per-thread arguments: arming happens on a fault's critical path, twice per fault, so it does not allocate. */
    private static final ThreadLocal<MemorySegment> CTL_EVENT = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(EVENT_BYTES, 8));
    private static final ThreadLocal<MemorySegment> CTL_STATE = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE));

    private final int epfd;
    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment waitState = arena.allocate(CAPTURE);
    private final MemorySegment waitEvent = arena.allocate(EVENT_BYTES, 8);

    /** Watches {@code fd} for input (armed). */
    public Epoll(int fd) {
        this.fd = fd;
        try {
            MemorySegment state = arena.allocate(CAPTURE);
            int e = (int) CREATE.invokeExact(state, EPOLL_CLOEXEC);
            if (e < 0) {
                throw new NativeException("epoll_create1", (int) ERRNO.get(state, 0L));
            }
            this.epfd = e;
        } catch (Throwable t) {
            arena.close();
            throw rethrow(t);
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
            int n = (int) WAIT.invokeExact(waitState, epfd, waitEvent, 1, -1);
            if (n < 0 && (int) ERRNO.get(waitState, 0L) != Errno.EINTR) {
                throw new NativeException("epoll_wait", (int) ERRNO.get(waitState, 0L));
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private void control(int op, int events) {
        try {
            MemorySegment ev = CTL_EVENT.get();
            ev.set(JAVA_INT, 0, events);
            ev.set(JAVA_LONG.withByteAlignment(4), 4, fd);
            MemorySegment state = CTL_STATE.get();
            if ((int) CTL.invokeExact(state, epfd, op, fd, ev) < 0) {
                throw new NativeException("epoll_ctl", (int) ERRNO.get(state, 0L));
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Call once the waiting thread has returned for good. */
    @Override
    public void close() {
        Libc.close(epfd);
        arena.close();
    }

    private static MethodHandle errnoCall(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd, Linker.Option.captureCallState("errno"));
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native call failed", t);
    }
}
