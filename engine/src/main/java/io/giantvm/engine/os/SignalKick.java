package io.giantvm.engine.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Interrupting a thread that sits in a blocking ioctl (KVM_RUN), the way QEMU does it.
 *
 * <p>The target thread blocks SIGUSR1 for itself ({@link #blockInCallingThread}) and asks KVM to
 * unblock it only while the guest runs (KVM_SET_SIGNAL_MASK with {@link #runMaskWithoutKick}).
 * A {@code tgkill} then makes KVM_RUN return EINTR, or return at once if it was sent just before
 * entry, so no kick is lost. The signal stays pending after KVM_RUN and is consumed with a
 * zero-timeout sigtimedwait; no handler is installed, so the JVM's own signals are untouched.
 */
public final class SignalKick {
    public static final int SIGNAL = Libc.SIGUSR1;

    private SignalKick() {}

    /** Blocks the kick signal in the calling thread; call first thing on a vCPU thread. */
    public static void blockInCallingThread() {
        try (Arena arena = Arena.ofConfined()) {
            Libc.pthreadSigmask(Libc.SIG_BLOCK, Libc.sigset(arena, SIGNAL), MemorySegment.NULL);
        }
    }

    /**
     * The mask KVM applies during KVM_RUN: the calling thread's current mask minus the kick
     * signal, in the kernel's 8-byte sigset format that KVM_SET_SIGNAL_MASK expects.
     */
    public static long runMaskWithoutKick() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment current = arena.allocate(Libc.LIBC_SIGSET_BYTES, 8);
            Libc.pthreadSigmask(Libc.SIG_BLOCK, MemorySegment.NULL, current);
            long mask = current.get(java.lang.foreign.ValueLayout.JAVA_LONG, 0);
            return mask & ~(1L << (SIGNAL - 1));
        }
    }

    /** Sends the kick to thread {@code tid} of this process. */
    public static void send(int tid) {
        Libc.tgkill(Libc.getpid(), tid, SIGNAL);
    }

    /** Per-thread state for draining pending kicks without allocating on the exit path. */
    public static final class Drain {
        private final MemorySegment set;
        private final MemorySegment zero;

        public Drain(Arena arena) {
            set = Libc.sigset(arena, SIGNAL);
            zero = arena.allocate(16, 8); // struct timespec {0, 0}
        }

        /** Consumes every pending kick; returns how many there were. */
        public int drain() {
            int n = 0;
            while (Libc.sigtimedwaitNow(set, zero) == SIGNAL) {
                n++;
            }
            return n;
        }
    }
}
