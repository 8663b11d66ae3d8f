package io.giantvm.engine.cpu;

import io.giantvm.engine.devices.Bus;
import io.giantvm.engine.kvm.ExitReason;
import io.giantvm.engine.kvm.KvmRun;
import io.giantvm.engine.kvm.Registers;
import io.giantvm.engine.kvm.SpecialRegisters;
import io.giantvm.engine.kvm.VcpuFd;
import io.giantvm.engine.os.Libc;
import io.giantvm.engine.os.SignalKick;

import java.lang.foreign.Arena;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * One vCPU: a named platform thread that enters the guest with KVM_RUN and dispatches each exit
 * to the port I/O or MMIO bus.
 *
 * <p>Other threads never touch the vCPU's KVM state. They post requests (stop, pause, INIT,
 * STARTUP, "look at your interrupts") as volatile flags and call {@link #kick()}, which wakes the
 * thread wherever it is: parked (unpark) or in the guest (SIGUSR1, see {@link SignalKick}).
 * {@code attention} and {@code inGuest} form a Dekker pair: the kicker writes attention then
 * reads inGuest, the vCPU writes inGuest then reads attention, so at least one of them sees the
 * other and no kick is lost. Kicks take no lock, so an APIC or timer may kick while holding its
 * own lock without any lock-order concern.
 */
public final class VirtualCpu {
    /** Upper bound on one park, so that a bug in wake-up logic shows as latency, never as a hang. */
    private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final int index;
    private final VcpuFd fd;
    private final Bus pio;
    private final Bus mmio;
    private final ExitCounters counters = new ExitCounters();
    private final EventTrace trace = new EventTrace();
    private volatile InterruptSource interrupts = NO_INTERRUPTS;

    private volatile VcpuState state = VcpuState.CREATED;
    private VcpuState stateBeforePause;
    private volatile boolean stopRequested;
    private volatile boolean pauseRequested;
    private volatile boolean initRequested;
    private volatile int sipiVector = -1;
    private volatile boolean attention;
    private volatile boolean inGuest;
    private volatile int tid;
    private volatile Thread thread;
    /** Where the guest was when the vCPU stopped (state and RIP), for the message of a run that timed out. */
    private volatile String whereStopped = "not stopped";

    private static final InterruptSource NO_INTERRUPTS = new InterruptSource() {
        @Override
        public int pendingVector() {
            return -1;
        }

        @Override
        public int acknowledge() {
            return -1;
        }
    };

    public VirtualCpu(int index, VcpuFd fd, Bus pio, Bus mmio) {
        this.index = index;
        this.fd = fd;
        this.pio = pio;
        this.mmio = mmio;
    }

    public int index() {
        return index;
    }

    public VcpuState state() {
        return state;
    }

    /** The state and RIP the vCPU had when asked to stop, once it has stopped. */
    /** The interrupt controller's state in one line ({@link InterruptSource#describe}). */
    public String interruptState() {
        return interrupts.describe();
    }

    public String whereStopped() {
        return whereStopped;
    }

    /** The flight recorder's last {@code n} events, oldest first; only once the vCPU has stopped (its thread ended). */
    public List<String> lastEvents(int n) {
        if (state != VcpuState.STOPPED) {
            throw new IllegalStateException("vCPU " + index + " is still running: its flight recorder is its thread's alone");
        }
        List<String> all = trace.lastEvents();
        return all.subList(Math.max(0, all.size() - n), all.size());
    }

    public ExitCounters exits() {
        return counters;
    }

    /** Wires the local APIC; must happen before {@link #start}. */
    public void connectInterrupts(InterruptSource source) {
        this.interrupts = source;
    }

    /**
     * Starts the vCPU thread. The bootstrap processor runs at once from the registers already set
     * on its fd; application processors wait for a STARTUP IPI.
     *
     * @param onFailure called on the vCPU thread if the guest crashes or the engine fails
     */
    public void start(boolean bootstrap, Consumer<Throwable> onFailure) {
        moveTo(bootstrap ? VcpuState.RUNNING : VcpuState.WAITING_FOR_SIPI);
        thread = Thread.ofPlatform().name("vcpu-" + index).start(() -> {
            try {
                loop();
            } catch (Throwable t) {
                onFailure.accept(t);
            } finally {
                inGuest = false;
                tid = 0; // never signal a thread id the kernel may hand to another thread
                state = VcpuState.STOPPED;
            }
        });
    }

    /** INIT: back to waiting for a STARTUP IPI. */
    public void init() {
        initRequested = true;
        kick();
    }

    /** STARTUP IPI; ignored unless the vCPU waits for one (or an INIT for it is still pending). */
    public void startup(int vector) {
        if (state == VcpuState.WAITING_FOR_SIPI || initRequested) {
            sipiVector = vector;
            kick();
        }
    }

    /** Makes the vCPU re-examine its requests and interrupts soon; callable from any thread. */
    public void kick() {
        attention = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
        int t2 = tid;
        if (inGuest && t2 != 0) {
            SignalKick.send(t2);
        }
    }

    public void pause() {
        pauseRequested = true;
        kick();
    }

    public void resume() {
        pauseRequested = false;
        kick();
    }

    public void requestStop() {
        stopRequested = true;
        kick();
    }

    /** Waits for the thread to end; false when it is still running after {@code timeout}. */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        Thread t = thread;
        return t == null || t.join(timeout);
    }

    private void loop() {
        SignalKick.guardProcess();
        SignalKick.blockInCallingThread();
        tid = Libc.gettid();
        fd.setSignalMask(SignalKick.runMaskWithoutKick());
        try (Arena arena = Arena.ofConfined()) {
            SignalKick.Drain drain = new SignalKick.Drain(arena);
            Registers regs = new Registers(arena);
            SpecialRegisters sregs = new SpecialRegisters(arena);
            KvmRun run = fd.runState();
            InterruptInjection injection = new InterruptInjection(new KvmInjection(fd, run), trace);
            while (awaitRunnable(regs, sregs)) {
                attention = false;
                injection.beforeEntry(interrupts);
                inGuest = true;
                if (attention) { // a request raced with entry: look at it before running
                    inGuest = false;
                    continue;
                }
                boolean exited;
                try {
                    exited = fd.run();
                } finally {
                    inGuest = false;
                    injection.entered();
                }
                if (!exited) {
                    trace.record(EventTrace.Kind.KICK, 0, false);
                    counters.kick();
                    drain.drain();
                    continue;
                }
                int reason = run.exitReason();
                counters.exit(reason);
                trace.record(EventTrace.Kind.EXIT, reason, false);
                handleExit(reason, run, regs);
            }
        }
    }

    /** Blocks while the vCPU may not run; false once it must stop. */
    private boolean awaitRunnable(Registers regs, SpecialRegisters sregs) {
        while (true) {
            if (stopRequested) {
                whereStopped = state == VcpuState.RUNNING || state == VcpuState.HALTED || state == VcpuState.PAUSED
                        ? state + " at RIP 0x" + Long.toHexString(fd.registers(regs).rip())
                        : state.toString();
                moveTo(VcpuState.STOPPED);
                return false;
            }
            if (initRequested) {
                initRequested = false;
                trace.record(EventTrace.Kind.INIT, 0, false);
                moveTo(VcpuState.WAITING_FOR_SIPI);
            }
            if (pauseRequested) {
                if (state != VcpuState.PAUSED) {
                    stateBeforePause = state;
                    moveTo(VcpuState.PAUSED);
                }
            } else if (state == VcpuState.PAUSED) {
                moveTo(stateBeforePause);
            }
            if (state != VcpuState.WAITING_FOR_SIPI) {
                // A STARTUP IPI that raced with the previous one leaving wait-for-SIPI: hardware ignores it,
                // and left set it would keep a halted vCPU from parking.
                sipiVector = -1;
            }
            switch (state) {
                case RUNNING -> {
                    return true;
                }
                case WAITING_FOR_SIPI -> {
                    int vector = sipiVector;
                    if (vector >= 0) {
                        sipiVector = -1;
                        trace.record(EventTrace.Kind.SIPI, vector, false);
                        EntryState.startup(regs, fd.specialRegisters(sregs), vector);
                        fd.setRegisters(regs);
                        fd.setSpecialRegisters(sregs);
                        moveTo(VcpuState.RUNNING);
                        return true;
                    }
                }
                case HALTED -> {
                    if (interrupts.pendingVector() >= 0 || interrupts.hasPendingNmi()) {
                        trace.record(EventTrace.Kind.WAKE, 0, false);
                        moveTo(VcpuState.RUNNING);
                        return true;
                    }
                }
                default -> { }
            }
            attention = false;
            if (!stopRequested && !initRequested && sipiVector < 0 && pauseRequested == (state == VcpuState.PAUSED)) {
                LockSupport.parkNanos(this, PARK_NANOS);
            }
        }
    }

    private void handleExit(int reason, KvmRun run, Registers regs) {
        switch (reason) {
            case ExitReason.IO -> {
                int port = run.ioPort();
                int size = run.ioSize();
                int count = run.ioCount();
                if (run.ioDirection() == KvmRun.IO_OUT) {
                    for (int i = 0; i < count; i++) {
                        pio.write(index, port, size, run.ioData(i));
                    }
                } else {
                    for (int i = 0; i < count; i++) {
                        run.ioData(i, pio.read(index, port, size));
                    }
                }
            }
            case ExitReason.MMIO -> {
                long address = run.mmioAddress();
                int length = run.mmioLength();
                if (run.mmioIsWrite()) {
                    mmio.write(index, address, length, run.mmioData());
                } else {
                    run.mmioData(mmio.read(index, address, length));
                }
            }
            case ExitReason.HLT -> {
                if (interrupts.pendingVector() < 0 && !interrupts.hasPendingNmi()) {
                    trace.record(EventTrace.Kind.HALT, 0, false);
                    moveTo(VcpuState.HALTED);
                }
            }
            case ExitReason.IRQ_WINDOW_OPEN, ExitReason.INTR -> { } // the loop injects
            case ExitReason.FAIL_ENTRY -> throw crash(regs,
                    "KVM could not enter the guest (FAIL_ENTRY, hardware reason 0x%x)".formatted(run.failEntryReason()));
            case ExitReason.INTERNAL_ERROR -> throw crash(regs, "KVM internal error, suberror %d%s".formatted(
                    run.internalErrorSuberror(),
                    run.internalErrorSuberror() == 1 ? " (instruction emulation failed)" : ""));
            case ExitReason.EXCEPTION -> throw crash(regs, "unhandled exception " + run.exceptionVector());
            case ExitReason.SYSTEM_EVENT -> throw crash(regs, "system event " + run.systemEventType()
                    + " (the guest asked for shutdown or reset)");
            case ExitReason.SHUTDOWN -> throw crash(regs, ExitReason.name(reason), true);
            default -> throw crash(regs, ExitReason.name(reason));
        }
    }

    private GuestCrashException crash(Registers regs, String reason) {
        return crash(regs, reason, false);
    }

    private GuestCrashException crash(Registers regs, String reason, boolean shutdown) {
        long rip;
        try {
            rip = fd.registers(regs).rip();
        } catch (RuntimeException e) {
            rip = -1;
        }
        return new GuestCrashException(index, rip, reason, shutdown, trace.lastEvents());
    }

    private synchronized void moveTo(VcpuState next) {
        if (next == state) {
            return;
        }
        if (!state.successors().contains(next)) {
            throw new IllegalStateException("vCPU %d: illegal transition %s -> %s".formatted(index, state, next));
        }
        state = next;
    }
}
