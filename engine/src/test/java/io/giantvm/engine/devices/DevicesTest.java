package io.giantvm.engine.devices;

import io.giantvm.engine.memory.GuestMemory;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DevicesTest {
    @Test
    void uartTransmitsBytesAndAlwaysLooksReadyToSend() {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Uart16550 uart = new Uart16550(console);
        for (byte b : "hi\n".getBytes(StandardCharsets.US_ASCII)) {
            assertThat(uart.read(0, 5, 1) & 0x20).as("THR empty").isEqualTo(0x20);
            uart.write(0, 0, 1, b);
        }
        assertThat(console.toString(StandardCharsets.US_ASCII)).isEqualTo("hi\n");
        assertThat(uart.read(0, 5, 1) & 0x01).as("no received data").isZero();
    }

    @Test
    void uartDivisorLatchDoesNotTransmit() {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Uart16550 uart = new Uart16550(console);
        uart.write(0, 3, 1, 0x80); // DLAB on
        uart.write(0, 0, 1, 0x01); // divisor low: 115200 baud
        uart.write(0, 1, 1, 0x00);
        assertThat(uart.read(0, 0, 1)).isEqualTo(1);
        uart.write(0, 3, 1, 0x03); // 8N1, DLAB off
        uart.write(0, 7, 1, 0x5A);
        assertThat(uart.read(0, 7, 1)).isEqualTo(0x5A);
        assertThat(console.size()).isZero();
    }

    @Test
    void debugExitReportsTheGuestsStatus() {
        List<Integer> statuses = new ArrayList<>();
        DebugExit exit = new DebugExit(statuses::add);
        exit.write(1, 0, 4, 3);
        assertThat(statuses).containsExactly(3);
    }

    @Test
    void benchDeviceReadsTheRecordAtTheAddressTheGuestWrote() {
        try (GuestMemory memory = new GuestMemory(1 << 20)) {
            byte[] record = new byte[BenchDevice.RECORD_BYTES];
            for (int i = 0; i < record.length; i++) {
                record[i] = (byte) (i * 3 + 1);
            }
            memory.write(0x8_0040, record);
            List<String> seen = new ArrayList<>();
            BenchDevice bench = new BenchDevice(memory, (vcpu, r) -> seen.add(vcpu + ":" + java.util.Arrays.toString(r)));
            bench.write(2, 0, 4, 0x8_0040);
            assertThat(seen).containsExactly("2:" + java.util.Arrays.toString(record));
        }
    }
}
