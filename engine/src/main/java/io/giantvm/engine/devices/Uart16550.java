package io.giantvm.engine.devices;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;

/**
 * A 16550A UART as a console: bytes the guest transmits go to {@code out} (flushed at each newline),
 * bytes handed to {@link #receive} wait in the receive FIFO. The transmitter is infinitely fast, so it
 * always reads as empty and a polling guest never waits.
 *
 * <p>Interrupts (IER bits 0 and 1) go to {@code irq}, asserted while IIR reports a cause, in the
 * 8250's priority order: received data available, then transmitter holding register empty. THRE is
 * a one-shot cause, as on the chip: raised when the guest writes THR (it empties at once) or enables
 * the THRE interrupt, cleared by reading IIR while it is the reported cause, or by writing THR.
 * Linux's 8250 driver relies on exactly that to drive transmission by interrupts.
 */
public final class Uart16550 implements BusDevice {
    private static final int THR_RBR_DLL = 0;
    private static final int IER_DLM = 1;
    private static final int IIR_FCR = 2;
    private static final int LCR = 3;
    private static final int MCR = 4;
    private static final int LSR = 5;
    private static final int MSR = 6;
    private static final int SCR = 7;

    private static final int LCR_DLAB = 0x80;
    private static final int IER_RECEIVED_DATA = 0x01;
    private static final int IER_THR_EMPTY = 0x02;
    private static final int LSR_DATA_READY = 0x01;
    private static final int LSR_THR_EMPTY = 0x20;
    private static final int LSR_TRANSMITTER_EMPTY = 0x40;
    private static final int IIR_NO_INTERRUPT = 0x01;
    private static final int IIR_THR_EMPTY = 0x02;
    private static final int IIR_RECEIVED_DATA = 0x04;
    private static final int IIR_FIFO_ENABLED = 0xC0;
    private static final int FCR_CLEAR_RECEIVER = 0x02;
    /** Carrier detect, data set ready, clear to send: a modem that is always there. */
    private static final int MSR_CONNECTED = 0xB0;
    /** Input beyond this waits in the caller: a guest that never reads must not grow the heap. */
    private static final int RECEIVE_LIMIT = 4096;

    private final OutputStream out;
    private final InterruptLine irq;
    private final ArrayDeque<Byte> received = new ArrayDeque<>();
    private int ier, fcr, lcr, mcr, scr, dll, dlm;
    private boolean thrEmptyPending;

    public Uart16550(OutputStream out) {
        this(out, InterruptLine.NONE);
    }

    public Uart16550(OutputStream out, InterruptLine irq) {
        this.out = out;
        this.irq = irq;
    }

    /** Bytes typed on the console; returns how many were taken (fewer when the FIFO is full). */
    public int receive(byte[] bytes, int offset, int length) {
        synchronized (this) {
            int taken = 0;
            while (taken < length && received.size() < RECEIVE_LIMIT) {
                received.add(bytes[offset + taken++]);
            }
            updateLineLocked();
            return taken;
        }
    }

    @Override
    public long read(int vcpu, long offset, int size) {
        long value;
        synchronized (this) {
            boolean dlab = (lcr & LCR_DLAB) != 0;
            value = switch ((int) offset) {
                case THR_RBR_DLL -> dlab ? dll : received.isEmpty() ? 0 : Byte.toUnsignedInt(received.poll());
                case IER_DLM -> dlab ? dlm : ier;
                case IIR_FCR -> {
                    int iir = interruptIdentificationLocked();
                    if (iir == IIR_THR_EMPTY) {
                        thrEmptyPending = false; // reading IIR acknowledges THRE
                    }
                    yield iir | ((fcr & 1) != 0 ? IIR_FIFO_ENABLED : 0);
                }
                case LCR -> lcr;
                case MCR -> mcr;
                case LSR -> LSR_THR_EMPTY | LSR_TRANSMITTER_EMPTY | (received.isEmpty() ? 0 : LSR_DATA_READY);
                case MSR -> MSR_CONNECTED;
                case SCR -> scr;
                default -> 0xFF;
            };
            updateLineLocked();
        }
        return value;
    }

    @Override
    public void write(int vcpu, long offset, int size, long value) {
        int v = (int) (value & 0xFF);
        synchronized (this) {
            boolean dlab = (lcr & LCR_DLAB) != 0;
            switch ((int) offset) {
                case THR_RBR_DLL -> {
                    if (dlab) {
                        dll = v;
                    } else {
                        transmit(v);
                        thrEmptyPending = true; // sent at once: the holding register is empty again
                    }
                }
                case IER_DLM -> {
                    if (dlab) {
                        dlm = v;
                    } else {
                        if ((v & IER_THR_EMPTY) != 0 && (ier & IER_THR_EMPTY) == 0) {
                            thrEmptyPending = true; // enabling THRE while empty raises it, as on the chip
                        }
                        ier = v & 0x0F;
                    }
                }
                case IIR_FCR -> {
                    fcr = v;
                    if ((v & FCR_CLEAR_RECEIVER) != 0) {
                        received.clear();
                    }
                }
                case LCR -> lcr = v;
                case MCR -> mcr = v & 0x1F;
                case SCR -> scr = v;
                default -> { } // LSR and MSR are read-only
            }
            updateLineLocked();
        }
    }

    private int interruptIdentificationLocked() {
        if ((ier & IER_RECEIVED_DATA) != 0 && !received.isEmpty()) {
            return IIR_RECEIVED_DATA;
        }
        if ((ier & IER_THR_EMPTY) != 0 && thrEmptyPending) {
            return IIR_THR_EMPTY;
        }
        return IIR_NO_INTERRUPT;
    }

    /**
     * Drives {@link #irq} to the level IIR implies now. Under this UART's lock, so that two threads (a vCPU
     * and the console input) cannot leave the line at a stale level; the controller never calls back here.
     */
    private void updateLineLocked() {
        irq.set(interruptIdentificationLocked() != IIR_NO_INTERRUPT);
    }

    private void transmit(int b) {
        try {
            out.write(b);
            if (b == '\n') {
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("guest console output failed", e);
        }
    }
}
