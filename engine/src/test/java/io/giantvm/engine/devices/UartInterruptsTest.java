package io.giantvm.engine.devices;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The 16550 interrupt behaviour Linux's 8250 driver relies on: THRE as a one-shot cause, receive data, IIR priority. */
class UartInterruptsTest {
    private static final int RBR = 0, IER = 1, IIR = 2, LSR = 5;

    private final List<Boolean> line = new ArrayList<>();
    private final Uart16550 uart = new Uart16550(new ByteArrayOutputStream(), line::add);

    private boolean asserted() {
        return !line.isEmpty() && line.getLast();
    }

    @Test
    void enablingThreWhileEmptyRaisesItAndReadingIirAcknowledgesIt() {
        uart.write(0, IER, 1, 0x02);
        assertThat(asserted()).isTrue();
        assertThat(uart.read(0, IIR, 1) & 0x0F).isEqualTo(0x02);
        assertThat(asserted()).isFalse();
        assertThat(uart.read(0, IIR, 1) & 0x0F).as("one-shot").isEqualTo(0x01);
    }

    @Test
    void eachTransmittedByteRaisesThreAgain() {
        uart.write(0, IER, 1, 0x02);
        uart.read(0, IIR, 1);
        uart.write(0, RBR, 1, 'x');
        assertThat(asserted()).isTrue();
        assertThat(uart.read(0, IIR, 1) & 0x0F).isEqualTo(0x02);
    }

    @Test
    void theLinuxThreTestSeesThreReassertedAfterReEnabling() {
        // serial8250_do_startup: IER=THRI, read IIR; IER=0; IER=THRI, read IIR: a real 16550 reports THRE both times
        uart.write(0, IER, 1, 0x02);
        long iir1 = uart.read(0, IIR, 1) & 0x0F;
        uart.write(0, IER, 1, 0);
        uart.write(0, IER, 1, 0x02);
        long iir2 = uart.read(0, IIR, 1) & 0x0F;
        assertThat(iir1).isEqualTo(2L);
        assertThat(iir2).isEqualTo(2L);
    }

    @Test
    void receivedBytesRaiseDataAvailableAheadOfThreUntilDrained() {
        uart.write(0, IER, 1, 0x03);
        assertThat(uart.receive("ab".getBytes(), 0, 2)).isEqualTo(2);
        assertThat(uart.read(0, LSR, 1) & 0x01).isEqualTo(1);
        assertThat(uart.read(0, IIR, 1) & 0x0F).as("receive has priority").isEqualTo(0x04);
        assertThat(uart.read(0, RBR, 1)).isEqualTo('a');
        assertThat(uart.read(0, RBR, 1)).isEqualTo('b');
        assertThat(uart.read(0, LSR, 1) & 0x01).isZero();
        assertThat(uart.read(0, IIR, 1) & 0x0F).as("THRE still pending behind it").isEqualTo(0x02);
        assertThat(asserted()).isFalse();
    }

    @Test
    void withInterruptsDisabledTheLineStaysLow() {
        uart.receive("z".getBytes(), 0, 1);
        uart.write(0, RBR, 1, 'y');
        assertThat(line).doesNotContain(true);
    }
}
