package io.giantvm.engine.cpu;

import io.giantvm.engine.kvm.ExitReason;

import java.util.ArrayList;
import java.util.List;

/**
 * A vCPU's flight recorder: the last {@value #CAPACITY} things that happened on its thread (exits, kicks, what it
 * handed KVM, INIT/SIPI, halts), for the report of a guest that crashed. On AMD, KVM resets a vCPU on a shutdown
 * exit, so the registers of a triple fault are gone; the order of the last exits and injections is what is left
 * to tell an engine bug (an interrupt injected while the guest could not take it, say) from a guest one.
 *
 * <p>Written by the vCPU thread only, on every exit: a packed long into a ring, no allocation, no lock. Read by the
 * same thread when the guest crashes ({@link #lastEvents}, for the crash report), so no ordering is needed.
 */
final class EventTrace {
    static final int CAPACITY = 64;

    enum Kind { EXIT, KICK, INTERRUPT, NMI, WINDOW, HALT, WAKE, INIT, SIPI }

    private final long[] ring = new long[CAPACITY];
    private long count;

    /** {@code value}: the exit reason, the vector, or 0; {@code flag}: for an interrupt, whether the guest had IF set. */
    void record(Kind kind, int value, boolean flag) {
        ring[(int) (count++ % CAPACITY)] = (long) kind.ordinal() << 40 | (flag ? 1L << 32 : 0) | (value & 0xFFFF_FFFFL);
    }

    /** Oldest first, one phrase each (e.g. {@code exit IO}, {@code interrupt 0xec (IF=1)}); at most {@value #CAPACITY}. */
    List<String> lastEvents() {
        List<String> out = new ArrayList<>();
        for (long i = Math.max(0, count - CAPACITY); i < count; i++) {
            long e = ring[(int) (i % CAPACITY)];
            Kind kind = Kind.values()[(int) (e >>> 40)];
            int value = (int) e;
            boolean flag = (e & 1L << 32) != 0;
            out.add(switch (kind) {
                case EXIT -> "exit " + ExitReason.name(value);
                case KICK -> "kicked out";
                case INTERRUPT -> "interrupt 0x%x (IF=%d)".formatted(value, flag ? 1 : 0);
                case NMI -> "NMI";
                case WINDOW -> "window requested";
                case HALT -> "halted";
                case WAKE -> "woken";
                case INIT -> "INIT";
                case SIPI -> "SIPI 0x%x".formatted(value);
            });
        }
        return out;
    }
}
