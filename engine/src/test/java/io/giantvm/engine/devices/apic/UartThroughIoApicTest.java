package io.giantvm.engine.devices.apic;

import io.giantvm.engine.devices.IoApic;
import io.giantvm.engine.devices.Uart16550;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole path Linux's serial console uses: UART THRE -> I/O APIC pin 4 -> router -> local APIC, as Linux programs them. */
class UartThroughIoApicTest {
    private final ManualTimerScheduler clock = new ManualTimerScheduler();
    private final List<Integer> wakes = new ArrayList<>();
    private final ApicRouter router = new ApicRouter(wakes::add, new ApLifecycle() {
        @Override
        public void init(int apicId) { }

        @Override
        public void startup(int apicId, int vector) { }
    }, RemoteIpiSink.NONE);
    private final IoApic ioApic = new IoApic(0, 24, router);
    private final Uart16550 uart = new Uart16550(new ByteArrayOutputStream(), ioApic.line(4));

    private LocalApic linuxFlatApic(int id) {
        LocalApic apic = new LocalApic(id, router, clock, wakes::add);
        router.register(apic);
        ApicFixture.write(apic, 0x0E0, 0xFFFF_FFFF);      // DFR: flat
        ApicFixture.write(apic, 0x0D0, (1 << id) << 24);   // LDR: one bit per CPU
        ApicFixture.write(apic, 0x0F0, 0x1FF);             // SVR: enabled
        return apic;
    }

    private void program(int pin, long entry) {
        ioApic.write(0, 0x00, 4, 0x11 + 2 * pin);
        ioApic.write(0, 0x10, 4, entry >>> 32);
        ioApic.write(0, 0x00, 4, 0x10 + 2 * pin);
        ioApic.write(0, 0x10, 4, entry & 0xFFFF_FFFFL);
    }

    @Test
    void thrEmptyReachesTheLogicallyAddressedApicAndWakesItsVcpu() {
        linuxFlatApic(0);
        LocalApic cpu1 = linuxFlatApic(1);
        program(4, 0x24L | (1L << 11) | (0x02L << 56)); // vector 0x24, fixed, logical, edge, CPU 1's bit
        uart.write(1, 1, 1, 0x02); // IER: THRE interrupt on
        assertThat(cpu1.pendingVector()).isEqualTo(0x24);
        assertThat(wakes).contains(1);
        assertThat(cpu1.acknowledge()).isEqualTo(0x24);
        assertThat(uart.read(1, 2, 1) & 0x0F).isEqualTo(0x02);
        ApicFixture.write(cpu1, 0x0B0, 0); // EOI
        uart.write(1, 0, 1, 'x');          // the next byte: THRE again, a new edge
        assertThat(cpu1.pendingVector()).isEqualTo(0x24);
    }
}
