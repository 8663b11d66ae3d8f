package io.giantvm.engine.devices.apic;

import java.util.function.LongConsumer;

/**
 * The APIC timer's counter: initial count, divide configuration, one-shot and periodic modes,
 * and the host timer that stands for its expiry. Not thread-safe: every method runs under the
 * owning {@link LocalApic}'s lock, including {@link #expire}, which the APIC calls from the
 * host-timer task.
 *
 * <p>Units: the APIC bus runs at {@link #BUS_CYCLE_NANOS} = 1 ns per cycle (1 GHz, QEMU's choice),
 * so a count of N with divisor D lasts N * D ns. The counter is not stored but derived from the
 * next expiry deadline: current count = ceil((deadline - now) / D), which equals the initial count
 * at arming and reaches 0 exactly at the deadline.
 *
 * <p>TSC-deadline mode (and the reserved mode 3) is not supported: the engine must not advertise
 * CPUID.01H:ECX[24]; if a guest selects it anyway the timer stays disarmed, as if masked.
 */
final class ApicTimer {
    /** APIC bus cycle before division: 1 GHz. */
    static final long BUS_CYCLE_NANOS = 1;
    /**
     * Shortest periodic period actually used, as KVM's min_timer_period_us (200 us): a guest that
     * programs a 1-cycle periodic timer would otherwise keep the host timer thread spinning.
     */
    static final long MIN_PERIOD_NANOS = 200_000;

    enum Mode {
        ONE_SHOT,
        PERIODIC,
        TSC_DEADLINE,
        RESERVED;

        static Mode fromLvt(int lvt) {
            return values()[(lvt >>> ApicRegisters.LVT_TIMER_MODE_SHIFT) & 3];
        }

        boolean counts() {
            return this == ONE_SHOT || this == PERIODIC;
        }
    }

    private final TimerScheduler scheduler;
    /** Receives the generation of the expiry; the APIC locks itself and calls {@link #expire}. */
    private final LongConsumer onExpiry;

    private Mode mode = Mode.ONE_SHOT;
    private long initialCount; // unsigned 32-bit register value
    private int divideConfig;
    private boolean armed;
    private long deadline; // next expiry, valid while armed
    /** Bumped on every re-arm or disarm so that a superseded host timer that still fires is ignored. */
    private long generation;
    private TimerScheduler.Scheduled hostTimer;

    ApicTimer(TimerScheduler scheduler, LongConsumer onExpiry) {
        this.scheduler = scheduler;
        this.onExpiry = onExpiry;
    }

    int initialCountRegister() {
        return (int) initialCount;
    }

    int divideConfigRegister() {
        return divideConfig;
    }

    /** 2, 4, 8, ..., 128 for encodings 0..6 and 1 for encoding 7 (bits 0, 1 and 3 of the register). */
    static int divisor(int divideConfig) {
        int encoding = (divideConfig & 3) | ((divideConfig >>> 1) & 4);
        return 1 << ((encoding + 1) & 7);
    }

    /** The LVT timer entry changed its mode bits. */
    void setMode(Mode next) {
        if (next == mode) {
            return;
        }
        // One-shot <-> periodic keeps the running count; the new mode decides what happens at expiry.
        // Entering or leaving TSC-deadline mode disarms the timer, as the SDM says for real hardware.
        if (!next.counts() || !mode.counts()) {
            disarm();
            initialCount = 0;
        }
        mode = next;
    }

    void writeInitialCount(int value) {
        if (!mode.counts()) {
            return; // ignored in TSC-deadline mode
        }
        initialCount = Integer.toUnsignedLong(value);
        if (initialCount == 0) {
            disarm(); // writing 0 stops the timer
            return;
        }
        long now = scheduler.nanoTime();
        arm(now + (mode == Mode.PERIODIC ? period() : initialCount * divisor(divideConfig) * BUS_CYCLE_NANOS));
    }

    /** A new divisor takes effect from now on: the count keeps its value and runs at the new rate. */
    void writeDivideConfig(int value) {
        long now = scheduler.nanoTime();
        long count = currentCount(now);
        divideConfig = value & ApicRegisters.TIMER_DIVIDE_WRITABLE;
        if (armed && count > 0) {
            arm(now + count * divisor(divideConfig) * BUS_CYCLE_NANOS);
        }
    }

    int currentCountRegister() {
        return (int) currentCount(scheduler.nanoTime());
    }

    private long currentCount(long now) {
        if (!armed) {
            return 0;
        }
        long next = deadline;
        if (now >= next) {
            if (mode != Mode.PERIODIC) {
                return 0; // expired; the host timer is about to run
            }
            next = nextPeriodicDeadline(now);
        }
        long d = divisor(divideConfig) * BUS_CYCLE_NANOS;
        // A clamped period (MIN_PERIOD_NANOS) is longer than initial * D: the count never exceeds initial.
        return Math.min(initialCount, Math.ceilDiv(next - now, d));
    }

    /**
     * The host timer of {@code expiredGeneration} fired. Returns whether this is a real expiry
     * (not a superseded timer); periodic mode re-arms on the next period boundary. Missed periods
     * (a late host timer) coalesce into this one expiry, as they would in the single IRR bit anyway.
     */
    boolean expire(long expiredGeneration) {
        if (!armed || expiredGeneration != generation) {
            return false;
        }
        if (mode == Mode.PERIODIC) {
            // max(): a clock read just before the deadline must still move to the next period.
            arm(nextPeriodicDeadline(Math.max(deadline, scheduler.nanoTime())));
        } else {
            armed = false;
            hostTimer = null;
        }
        return true;
    }

    /** For a hung guest's diagnosis: "periodic, armed, due in 3.99 ms (initial 1000000, divide 16)". */
    String describe() {
        String when = armed ? "armed, due in %.2f ms".formatted((deadline - scheduler.nanoTime()) / 1e6) : "disarmed";
        return "%s, %s (initial %d, divide %d)".formatted(mode.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                when, initialCount, divisor(divideConfig));
    }

    /** INIT: count and divisor cleared, one-shot mode, disarmed. */
    void reset() {
        disarm();
        mode = Mode.ONE_SHOT;
        initialCount = 0;
        divideConfig = 0;
    }

    private long period() {
        return Math.max(MIN_PERIOD_NANOS, initialCount * divisor(divideConfig) * BUS_CYCLE_NANOS);
    }

    /** The first period boundary after {@code now}, counting whole periods from the current deadline. */
    private long nextPeriodicDeadline(long now) {
        long p = period();
        return deadline + ((now - deadline) / p + 1) * p;
    }

    private void arm(long at) {
        cancelHostTimer();
        armed = true;
        deadline = at;
        long armedGeneration = ++generation;
        hostTimer = scheduler.schedule(at, () -> onExpiry.accept(armedGeneration));
    }

    private void disarm() {
        cancelHostTimer();
        armed = false;
        generation++;
    }

    private void cancelHostTimer() {
        if (hostTimer != null) {
            hostTimer.cancel();
            hostTimer = null;
        }
    }
}
