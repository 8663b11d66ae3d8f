package io.giantvm.engine.devices;

import io.giantvm.engine.devices.apic.DeliveryMode;
import io.giantvm.engine.devices.apic.DestinationMode;
import io.giantvm.engine.devices.apic.DestinationShorthand;
import io.giantvm.engine.devices.apic.EoiBroadcast;
import io.giantvm.engine.devices.apic.Ipi;
import io.giantvm.engine.devices.apic.IpiSink;
import io.giantvm.engine.devices.apic.TriggerMode;

/**
 * An 82093AA-style I/O APIC (version 0x20: with the EOI register): 24 input pins, each with a
 * 64-bit redirection entry, turned into interrupt messages sent through the same {@link IpiSink}
 * as IPIs, so the APIC router resolves destinations (physical, logical flat/cluster, lowest
 * priority) and can forward them across nodes like any IPI.
 *
 * <p>Edge-triggered pins send one message per rising edge while unmasked. Level-triggered pins send
 * while asserted, then set remote IRR and stay quiet until an EOI for their vector arrives
 * ({@link #endOfInterrupt}, through the EOI register or a local APIC's EOI broadcast); if the line is
 * still asserted then, they send again. Pin polarity is the device's business here: a device says
 * "asserted", never "low".
 *
 * <p>Thread-safety: vCPU threads (MMIO, EOI) and device threads (line changes) all come here; one
 * lock guards the state, and messages are sent after it is released (the sink takes APIC locks).
 */
public final class IoApic implements BusDevice {
    static final int IOREGSEL = 0x00;
    static final int IOWIN = 0x10;
    static final int EOI = 0x40;
    static final int REG_ID = 0x00;
    static final int REG_VERSION = 0x01;
    static final int REG_ARBITRATION = 0x02;
    static final int REG_REDIRECTION = 0x10;
    static final int VERSION = 0x20;

    static final long VECTOR_MASK = 0xFF;
    static final int DELIVERY_MODE_SHIFT = 8;
    static final long DEST_LOGICAL = 1L << 11;
    static final long DELIVERY_PENDING = 1L << 12;
    static final long REMOTE_IRR = 1L << 14;
    static final long TRIGGER_LEVEL = 1L << 15;
    static final long MASKED = 1L << 16;
    static final int DESTINATION_SHIFT = 56;
    /** Vector, delivery mode, destination mode, polarity, trigger, mask and the destination byte. */
    static final long WRITABLE = 0xFF00_0000_0001_AFFFL;

    private final int id;
    private final IpiSink sink;
    private final long[] redirection;
    private final boolean[] asserted;
    private int select;

    public IoApic(int id, int pins, IpiSink sink) {
        this.id = id;
        this.sink = sink;
        this.redirection = new long[pins];
        this.asserted = new boolean[pins];
        java.util.Arrays.fill(redirection, MASKED);
    }

    /** The line of input {@code pin}, for a device to drive. */
    public InterruptLine line(int pin) {
        if (pin < 0 || pin >= redirection.length) {
            throw new IllegalArgumentException("I/O APIC pin " + pin + " is not in 0.." + (redirection.length - 1));
        }
        return level -> setLine(pin, level);
    }

    public void setLine(int pin, boolean level) {
        Ipi message;
        synchronized (this) {
            boolean rising = level && !asserted[pin];
            asserted[pin] = level;
            long entry = redirection[pin];
            boolean levelTriggered = (entry & TRIGGER_LEVEL) != 0;
            message = (levelTriggered ? level : rising) ? fireLocked(pin) : null;
        }
        send(message);
    }

    /**
     * Local APICs' EOI broadcasts as writes of the EOI register of the I/O APIC at {@code base} on {@code mmio}: the
     * I/O APIC itself on the node that hosts it, the bus's forwarder to that node on every other node.
     */
    public static EoiBroadcast eoiThrough(Bus mmio, long base) {
        return (vcpu, vector) -> mmio.write(vcpu, base + EOI, 4, vector);
    }

    /** An EOI for {@code vector}: level-triggered pins with that vector leave remote IRR, and fire again if still asserted. */
    public void endOfInterrupt(int vector) {
        java.util.List<Ipi> again = new java.util.ArrayList<>();
        synchronized (this) {
            for (int pin = 0; pin < redirection.length; pin++) {
                long entry = redirection[pin];
                if ((entry & REMOTE_IRR) != 0 && (entry & VECTOR_MASK) == vector) {
                    redirection[pin] = entry & ~REMOTE_IRR;
                    Ipi m = asserted[pin] ? fireLocked(pin) : null;
                    if (m != null) {
                        again.add(m);
                    }
                }
            }
        }
        again.forEach(this::send);
    }

    /** Its registers only; a redirected interrupt to another node is a one-way send. */
    @Override
    public boolean mayWaitOnMesh() {
        return false;
    }

    @Override
    public long read(int vcpu, long offset, int size) {
        synchronized (this) {
            return switch ((int) offset) {
                case IOREGSEL -> select;
                case IOWIN -> readRegisterLocked(select);
                default -> 0;
            };
        }
    }

    @Override
    public void write(int vcpu, long offset, int size, long value) {
        if (offset == EOI) {
            endOfInterrupt((int) (value & VECTOR_MASK));
            return;
        }
        Ipi message = null;
        synchronized (this) {
            switch ((int) offset) {
                case IOREGSEL -> select = (int) (value & 0xFF);
                case IOWIN -> message = writeRegisterLocked(select, (int) value);
                default -> { }
            }
        }
        send(message);
    }

    /** The redirection entry of {@code pin} (for tests and diagnostics). */
    public synchronized long redirectionEntry(int pin) {
        return redirection[pin];
    }

    private int readRegisterLocked(int index) {
        if (index == REG_ID) {
            return (id & 0xF) << 24;
        }
        if (index == REG_VERSION) {
            return ((redirection.length - 1) << 16) | VERSION;
        }
        if (index == REG_ARBITRATION) {
            return (id & 0xF) << 24;
        }
        int pin = (index - REG_REDIRECTION) / 2;
        if (index < REG_REDIRECTION || pin >= redirection.length) {
            return 0;
        }
        long entry = redirection[pin];
        return (int) ((index & 1) == 0 ? entry : entry >>> 32);
    }

    /** Returns the message a write made due (unmasking an asserted level pin), else null. */
    private Ipi writeRegisterLocked(int index, int value) {
        int pin = (index - REG_REDIRECTION) / 2;
        if (index < REG_REDIRECTION || pin >= redirection.length) {
            return null; // the id is fixed by the MADT; version and arbitration are read-only
        }
        long old = redirection[pin];
        long written = (index & 1) == 0
                ? (old & 0xFFFF_FFFF_0000_0000L) | Integer.toUnsignedLong(value)
                : (old & 0x0000_0000_FFFF_FFFFL) | ((long) value << 32);
        long entry = (written & WRITABLE) | (old & REMOTE_IRR);
        if ((entry & TRIGGER_LEVEL) == 0) {
            entry &= ~REMOTE_IRR;
        }
        redirection[pin] = entry;
        boolean levelTriggered = (entry & TRIGGER_LEVEL) != 0;
        return levelTriggered && asserted[pin] ? fireLocked(pin) : null;
    }

    /** The message for {@code pin} if it may fire now (unmasked, no remote IRR), marking remote IRR for level pins. */
    private Ipi fireLocked(int pin) {
        long entry = redirection[pin];
        if ((entry & MASKED) != 0 || (entry & REMOTE_IRR) != 0) {
            return null;
        }
        boolean levelTriggered = (entry & TRIGGER_LEVEL) != 0;
        if (levelTriggered) {
            redirection[pin] = entry | REMOTE_IRR;
        }
        DeliveryMode mode = DeliveryMode.fromBits((int) (entry >>> DELIVERY_MODE_SHIFT));
        return new Ipi(0, (int) (entry >>> DESTINATION_SHIFT) & 0xFF,
                (entry & DEST_LOGICAL) != 0 ? DestinationMode.LOGICAL : DestinationMode.PHYSICAL,
                DestinationShorthand.NONE, mode, (int) (entry & VECTOR_MASK), true,
                levelTriggered ? TriggerMode.LEVEL : TriggerMode.EDGE);
    }

    private void send(Ipi message) {
        if (message != null) {
            sink.send(message);
        }
    }
}
