package io.giantvm.engine.devices.apic;

import static io.giantvm.engine.devices.apic.ApicRegisters.*;

import io.giantvm.engine.devices.BusDevice;
import java.util.concurrent.atomic.LongAdder;

/**
 * One vCPU's local APIC in xAPIC mode, emulated in user space so that every IPI passes through
 * the engine (and can cross nodes). The engine injects what {@link #pendingVector()} reports at
 * an interrupt window and then calls {@link #acknowledge()}.
 *
 * <p>Register semantics follow the Intel SDM vol. 3A ch. 11. Deliberate simplifications: the
 * APIC id is read-only (the router and the mesh map ids to vCPUs once); the remote-read register
 * and the CMCI LVT do not exist (version 0x14 with six LVT entries); while software-disabled the
 * APIC reports no pending vector (as QEMU does); {@link #acknowledge()} returns -1 rather than the
 * spurious vector when nothing is deliverable, because with userspace injection nothing has been
 * committed yet and the engine can simply not inject. The EOI of a level-triggered vector (TMR set
 * when it was accepted) goes to the {@link EoiBroadcast}, i.e. the I/O APIC. TSC-deadline timer mode is not supported (see {@link ApicTimer}).
 *
 * <p>Thread-safety: the owning vCPU thread (MMIO, acknowledge), other vCPU threads (IPIs via
 * {@link #accept}) and the "apic-timer" thread all touch this state, so one lock guards all of it.
 * Every operation is a few field updates, so contention is negligible and a single lock keeps
 * invariants such as "PPR matches ISR and TPR" trivially true. The lock is never held while
 * calling out to the {@link IpiSink}, the {@link EoiBroadcast} or the {@link VcpuWaker}: those take other APICs' locks
 * (or signal threads), and two vCPUs sending each other IPIs would otherwise deadlock. The only
 * lock nested inside it is the {@link TimerScheduler}'s own, which never calls back under it.
 */
public final class LocalApic implements BusDevice {
    private static final int LVT_COUNT = 6;
    private static final int LVT_TIMER_INDEX = 0;
    private static final int LVT_ERROR_INDEX = 5;
    private static final int[] LVT_WRITABLE = {
        LVT_TIMER_WRITABLE, LVT_DELIVERY_WRITABLE, LVT_DELIVERY_WRITABLE,
        LVT_LINT_WRITABLE, LVT_LINT_WRITABLE, LVT_ERROR_WRITABLE,
    };

    private final int apicId;
    private final IpiSink ipiSink;
    private final VcpuWaker waker;
    private final EoiBroadcast eoiBroadcast;
    private final Object lock = new Object();
    private final LongAdder unsupportedAccesses = new LongAdder();

    // Everything below is guarded by lock.
    private final VectorRegister irr = new VectorRegister();
    private final VectorRegister isr = new VectorRegister();
    private final VectorRegister tmr = new VectorRegister();
    /** A level-triggered vector the last EOI ended, for {@link #write} to broadcast once the lock is released; -1: none. */
    private int levelEoiToBroadcast = -1;
    private final int[] lvt = new int[LVT_COUNT];
    private final ApicTimer timer;
    private int tpr;
    private int ldr;
    private int dfr;
    private int svr;
    private int esr;
    /** Errors seen since the last ESR write; a write moves them into the readable {@link #esr}. */
    private int esrPending;
    private int icrLow;
    private int icrHigh;
    private boolean nmiPending;

    public LocalApic(int apicId, IpiSink ipiSink, TimerScheduler scheduler, VcpuWaker waker) {
        this(apicId, ipiSink, scheduler, waker, EoiBroadcast.NONE);
    }

    /** @param eoiBroadcast where EOIs of level-triggered vectors (TMR set) go: the I/O APIC */
    public LocalApic(int apicId, IpiSink ipiSink, TimerScheduler scheduler, VcpuWaker waker, EoiBroadcast eoiBroadcast) {
        if (apicId < 0 || apicId >= BROADCAST_ID) {
            throw new IllegalArgumentException("APIC id " + apicId + " is not in 0..254 (0xFF is the broadcast id)");
        }
        this.apicId = apicId;
        this.ipiSink = ipiSink;
        this.waker = waker;
        this.eoiBroadcast = eoiBroadcast;
        this.timer = new ApicTimer(scheduler, this::timerExpired);
        synchronized (lock) {
            resetLocked();
        }
    }

    public int apicId() {
        return apicId;
    }

    // ---- interrupt acceptance and injection -------------------------------------------------

    /**
     * A fixed interrupt with {@code vector} arrives (IPI, or from a device). Returns whether
     * something became pending that the vCPU must be woken for; false when the APIC is
     * software-disabled (the message is dropped, as hardware does) or the vector is illegal
     * (0..15: ESR "receive illegal vector", which may itself raise the error interrupt).
     */
    public boolean accept(int vector) {
        return accept(vector, false);
    }

    /**
     * As {@link #accept(int)}; {@code levelTriggered} (an I/O APIC pin programmed level) sets the vector's TMR bit,
     * so that its EOI is broadcast back to the I/O APIC.
     */
    public boolean accept(int vector, boolean levelTriggered) {
        synchronized (lock) {
            return acceptLocked(vector, levelTriggered);
        }
    }

    /** The highest IRR vector whose priority class is above PPR's, or -1 if none may be delivered now. */
    public int pendingVector() {
        synchronized (lock) {
            return pendingVectorLocked();
        }
    }

    /** The interrupt is being injected: move {@link #pendingVector()} from IRR to ISR and return it (-1: none). */
    public int acknowledge() {
        synchronized (lock) {
            int vector = pendingVectorLocked();
            if (vector >= 0) {
                irr.clear(vector);
                isr.set(vector);
            }
            return vector;
        }
    }

    /** An NMI message arrives; NMIs are accepted even while the APIC is software-disabled. */
    public boolean acceptNmi() {
        synchronized (lock) {
            nmiPending = true;
            return true;
        }
    }

    /** Whether an NMI is pending (not yet taken): it wakes a halted CPU whatever its interrupt flag. */
    public boolean hasPendingNmi() {
        synchronized (lock) {
            return nmiPending;
        }
    }

    /** Takes the pending NMI, if any, for the engine to inject with KVM_NMI. */
    public boolean takeNmi() {
        synchronized (lock) {
            boolean taken = nmiPending;
            nmiPending = false;
            return taken;
        }
    }

    /** INIT: every register back to its power-up value except the APIC id (SDM 11.4.7.3). */
    public void init() {
        synchronized (lock) {
            resetLocked();
        }
    }

    public boolean isSoftwareEnabled() {
        synchronized (lock) {
            return softwareEnabled();
        }
    }

    /** MMIO accesses that were not 32-bit, not 16-byte aligned or hit no register. */
    public long unsupportedAccesses() {
        return unsupportedAccesses.sum();
    }

    /** Processor priority, for lowest-priority arbitration by the router. */
    int processorPriority() {
        synchronized (lock) {
            return pprLocked();
        }
    }

    /** Whether logical destination {@code mask} selects this APIC under its LDR and DFR (flat or cluster model). */
    boolean matchesLogical(int mask) {
        synchronized (lock) {
            int logicalId = ldr >>> ID_SHIFT;
            if ((dfr & DFR_MODEL_MASK) == DFR_MODEL_FLAT) {
                return (logicalId & mask) != 0;
            }
            // Cluster model: high nibble names the cluster, low nibble selects members in it.
            return (logicalId >>> 4) == (mask >>> 4) && (logicalId & mask & 0xF) != 0;
        }
    }

    // ---- MMIO ------------------------------------------------------------------------------

    @Override
    public long read(int vcpu, long offset, int size) {
        if (!isRegisterAccess(offset, size)) {
            unsupportedAccesses.increment();
            return 0;
        }
        synchronized (lock) {
            return Integer.toUnsignedLong(readLocked((int) offset));
        }
    }

    @Override
    public void write(int vcpu, long offset, int size, long value) {
        if (!isRegisterAccess(offset, size)) {
            unsupportedAccesses.increment();
            return;
        }
        Ipi ipi;
        int levelEoi;
        synchronized (lock) {
            ipi = writeLocked((int) offset, (int) value);
            levelEoi = levelEoiToBroadcast;
            levelEoiToBroadcast = -1;
        }
        if (ipi != null) {
            ipiSink.send(ipi); // outside the lock: the sink locks the destination APIC, maybe this one
        }
        if (levelEoi >= 0) {
            eoiBroadcast.endOfInterrupt(vcpu, levelEoi); // outside the lock: the I/O APIC may fire at us again
        }
    }

    private static boolean isRegisterAccess(long offset, int size) {
        return size == REGISTER_WIDTH && offset >= 0 && offset < MMIO_SIZE && offset % REGISTER_STRIDE == 0;
    }

    private int readLocked(int offset) {
        if (offset >= ISR_BASE && offset < ISR_BASE + BITMAP_WORDS * REGISTER_STRIDE) {
            return isr.word((offset - ISR_BASE) / REGISTER_STRIDE);
        }
        if (offset >= TMR_BASE && offset < TMR_BASE + BITMAP_WORDS * REGISTER_STRIDE) {
            return tmr.word((offset - TMR_BASE) / REGISTER_STRIDE);
        }
        if (offset >= IRR_BASE && offset < IRR_BASE + BITMAP_WORDS * REGISTER_STRIDE) {
            return irr.word((offset - IRR_BASE) / REGISTER_STRIDE);
        }
        if (offset >= LVT_TIMER && offset <= LVT_ERROR) {
            return lvt[(offset - LVT_TIMER) / REGISTER_STRIDE];
        }
        return switch (offset) {
            case ID -> apicId << ID_SHIFT;
            case VERSION -> VERSION_VALUE;
            case TPR -> tpr;
            case APR -> aprLocked();
            case PPR -> pprLocked();
            case EOI -> 0; // write-only
            case LDR -> ldr;
            case DFR -> dfr;
            case SVR -> svr;
            case ESR -> esr;
            case ICR_LOW -> icrLow & ~ICR_DELIVERY_PENDING; // delivery is synchronous: always idle
            case ICR_HIGH -> icrHigh;
            case TIMER_INITIAL_COUNT -> timer.initialCountRegister();
            case TIMER_CURRENT_COUNT -> timer.currentCountRegister();
            case TIMER_DIVIDE -> timer.divideConfigRegister();
            default -> {
                reservedRegisterLocked();
                yield 0;
            }
        };
    }

    /** Returns the IPI to send when the write was to ICR low, else null. */
    private Ipi writeLocked(int offset, int value) {
        if (offset >= LVT_TIMER && offset <= LVT_ERROR) {
            writeLvtLocked((offset - LVT_TIMER) / REGISTER_STRIDE, value);
            return null;
        }
        switch (offset) {
            case TPR -> tpr = value & TPR_MASK;
            case EOI -> endOfInterruptLocked();
            case LDR -> ldr = value & LDR_MASK;
            case DFR -> dfr = (value & DFR_MODEL_MASK) | DFR_RESERVED_ONES;
            case SVR -> writeSvrLocked(value);
            case ESR -> {
                esr = esrPending;
                esrPending = 0;
            }
            case ICR_LOW -> {
                return sendIpiLocked(value);
            }
            case ICR_HIGH -> icrHigh = value & ICR_HIGH_WRITABLE;
            case TIMER_INITIAL_COUNT -> timer.writeInitialCount(value);
            case TIMER_DIVIDE -> timer.writeDivideConfig(value);
            // Read-only registers: writes are dropped, as on hardware (the ID is read-only here, see class doc).
            case ID, VERSION, APR, PPR, TIMER_CURRENT_COUNT -> {
            }
            default -> {
                boolean readOnlyBitmap = offset >= ISR_BASE && offset < IRR_BASE + BITMAP_WORDS * REGISTER_STRIDE;
                if (!readOnlyBitmap) {
                    reservedRegisterLocked();
                }
            }
        }
        return null;
    }

    private Ipi sendIpiLocked(int value) {
        icrLow = value & ICR_LOW_WRITABLE;
        Ipi ipi = Ipi.decode(apicId, icrLow, icrHigh);
        boolean vectored = ipi.deliveryMode() == DeliveryMode.FIXED || ipi.deliveryMode() == DeliveryMode.LOWEST_PRIORITY;
        if (vectored && ipi.vector() < FIRST_LEGAL_VECTOR) {
            recordErrorLocked(ESR_SEND_ILLEGAL_VECTOR); // not sent
            return null;
        }
        return ipi;
    }

    private void writeLvtLocked(int index, int value) {
        int masked = value & LVT_WRITABLE[index];
        if (!softwareEnabled()) {
            masked |= LVT_MASKED; // SDM: mask bits cannot be cleared while software-disabled
        }
        lvt[index] = masked;
        if (index == LVT_TIMER_INDEX) {
            timer.setMode(ApicTimer.Mode.fromLvt(masked));
        }
    }

    private void writeSvrLocked(int value) {
        svr = value & SVR_WRITABLE;
        if (!softwareEnabled()) {
            for (int i = 0; i < LVT_COUNT; i++) {
                lvt[i] |= LVT_MASKED;
            }
        }
    }

    private void endOfInterruptLocked() {
        int vector = isr.highest();
        if (vector >= 0) {
            isr.clear(vector);
            if (tmr.test(vector)) {
                tmr.clear(vector);
                levelEoiToBroadcast = vector;
            }
        }
    }

    // ---- priorities --------------------------------------------------------------------------

    private int pendingVectorLocked() {
        if (!softwareEnabled()) {
            return -1;
        }
        int vector = irr.highest();
        if (vector < 0 || (vector & 0xF0) <= pprLocked()) {
            return -1;
        }
        return vector;
    }

    /** PPR = TPR if its class is at least the highest in-service class, else that class (low nibble 0). */
    private int pprLocked() {
        int isrClass = Math.max(isr.highest(), 0) & 0xF0;
        return (tpr & 0xF0) >= isrClass ? tpr : isrClass;
    }

    /** APR as PPR, but the highest requested class counts too (used by lowest-priority arbitration). */
    private int aprLocked() {
        int highestClass = Math.max(Math.max(isr.highest(), irr.highest()), 0) & 0xF0;
        return (tpr & 0xF0) >= highestClass ? tpr : highestClass;
    }

    // ---- internals ---------------------------------------------------------------------------

    private boolean softwareEnabled() {
        return (svr & SVR_SOFTWARE_ENABLE) != 0;
    }

    private boolean acceptLocked(int vector, boolean levelTriggered) {
        if (vector < 0 || vector >= VECTORS) {
            throw new IllegalArgumentException("interrupt vector " + vector + " is not in 0..255");
        }
        if (vector < FIRST_LEGAL_VECTOR) {
            return recordErrorLocked(ESR_RECEIVE_ILLEGAL_VECTOR);
        }
        if (!softwareEnabled()) {
            return false;
        }
        irr.set(vector);
        if (levelTriggered) {
            tmr.set(vector);
        } else {
            tmr.clear(vector);
        }
        return true;
    }

    /** Logs an ESR error; returns whether it raised the error interrupt (LVT error unmasked). */
    private boolean recordErrorLocked(int bit) {
        esrPending |= bit;
        int entry = lvt[LVT_ERROR_INDEX];
        int vector = entry & LVT_VECTOR_MASK;
        // An illegal vector in the error LVT itself would report an error about the error: drop it.
        if ((entry & LVT_MASKED) != 0 || !softwareEnabled() || vector < FIRST_LEGAL_VECTOR) {
            return false;
        }
        irr.set(vector);
        return true;
    }

    private void reservedRegisterLocked() {
        unsupportedAccesses.increment();
        recordErrorLocked(ESR_ILLEGAL_REGISTER);
    }

    /**
     * The interrupt state in one line, for a guest that timed out with its vCPUs halted: why nothing woke
     * them (nothing requested, or a request held back by PPR, or a timer masked, disarmed or far away).
     */
    public String describe() {
        synchronized (lock) {
            int timerLvt = lvt[LVT_TIMER_INDEX];
            return "APIC %s, IRR top 0x%x, ISR top 0x%x, TPR 0x%x, PPR 0x%x, timer LVT vector 0x%x%s: %s".formatted(
                    softwareEnabled() ? "enabled" : "software-disabled", Math.max(irr.highest(), 0), Math.max(isr.highest(), 0),
                    tpr, pprLocked(), timerLvt & LVT_VECTOR_MASK, (timerLvt & LVT_MASKED) != 0 ? " masked" : "",
                    timer.describe());
        }
    }

    private void timerExpired(long generation) {
        boolean wake;
        synchronized (lock) {
            if (!timer.expire(generation)) {
                return;
            }
            int entry = lvt[LVT_TIMER_INDEX];
            wake = (entry & LVT_MASKED) == 0 && acceptLocked(entry & LVT_VECTOR_MASK, false);
        }
        if (wake) {
            waker.wake(apicId);
        }
    }

    private void resetLocked() {
        irr.clearAll();
        isr.clearAll();
        tmr.clearAll();
        java.util.Arrays.fill(lvt, LVT_RESET);
        timer.reset();
        tpr = 0;
        ldr = 0;
        dfr = DFR_MODEL_FLAT | DFR_RESERVED_ONES;
        svr = SVR_RESET;
        esr = 0;
        esrPending = 0;
        icrLow = 0;
        icrHigh = 0;
        nmiPending = false;
    }
}
