package io.giantvm.engine.devices;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * A 16550 UART that is only a console: bytes the guest transmits go to {@code out}, flushed at
 * each newline; there is no input yet, so the receiver is always empty and no interrupts are
 * raised. The transmitter always reads as empty, so a polling guest never waits.
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
    private static final int LSR_THR_EMPTY = 0x20;
    private static final int LSR_TRANSMITTER_EMPTY = 0x40;
    private static final int IIR_NO_INTERRUPT = 0x01;
    private static final int IIR_FIFO_ENABLED = 0xC0;
    /** Carrier detect, data set ready, clear to send: a modem that is always there. */
    private static final int MSR_CONNECTED = 0xB0;

    private final OutputStream out;
    private int ier, fcr, lcr, mcr, scr, dll, dlm;

    public Uart16550(OutputStream out) {
        this.out = out;
    }

    @Override
    public synchronized long read(int vcpu, long offset, int size) {
        boolean dlab = (lcr & LCR_DLAB) != 0;
        return switch ((int) offset) {
            case THR_RBR_DLL -> dlab ? dll : 0;
            case IER_DLM -> dlab ? dlm : ier;
            case IIR_FCR -> IIR_NO_INTERRUPT | ((fcr & 1) != 0 ? IIR_FIFO_ENABLED : 0);
            case LCR -> lcr;
            case MCR -> mcr;
            case LSR -> LSR_THR_EMPTY | LSR_TRANSMITTER_EMPTY;
            case MSR -> MSR_CONNECTED;
            case SCR -> scr;
            default -> 0xFF;
        };
    }

    @Override
    public synchronized void write(int vcpu, long offset, int size, long value) {
        int v = (int) (value & 0xFF);
        boolean dlab = (lcr & LCR_DLAB) != 0;
        switch ((int) offset) {
            case THR_RBR_DLL -> {
                if (dlab) {
                    dll = v;
                } else {
                    transmit(v);
                }
            }
            case IER_DLM -> {
                if (dlab) {
                    dlm = v;
                } else {
                    ier = v & 0x0F;
                }
            }
            case IIR_FCR -> fcr = v;
            case LCR -> lcr = v;
            case MCR -> mcr = v & 0x1F;
            case SCR -> scr = v;
            default -> { } // LSR and MSR are read-only
        }
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
