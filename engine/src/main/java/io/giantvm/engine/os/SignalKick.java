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

    private static final java.util.concurrent.atomic.LongAdder STRAY = new java.util.concurrent.atomic.LongAdder();
    private static volatile boolean guarded;

    /** Sends the kick to thread {@code tid} of this process; a thread that already ended is ignored. */
    public static void send(int tid) {
        try {
            Libc.tgkill(Libc.getpid(), tid, SIGNAL);
        } catch (NativeException e) {
            if (e.errno() != 3 /* ESRCH: the vCPU thread ended between the check and the kill */) {
                throw e;
            }
        }
    }

    /**
     * Makes a kick that reaches any thread other than a blocking vCPU thread harmless: SIGUSR1's
     * default action would end the JVM. The handler runs on the JVM's signal thread and only
     * counts. It does not disturb the kick itself: a vCPU thread keeps the signal blocked outside
     * KVM_RUN, so the handler never runs there and the pending signal is drained as before.
     */
    public static synchronized void guardProcess() {
        if (!guarded) {
            sun.misc.Signal.handle(new sun.misc.Signal("USR1"), sig -> STRAY.increment());
            guarded = true;
        }
    }

    /** Kicks that reached a thread that was not waiting for them (should stay 0). */
    public static long strayKicks() {
        return STRAY.sum();
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
