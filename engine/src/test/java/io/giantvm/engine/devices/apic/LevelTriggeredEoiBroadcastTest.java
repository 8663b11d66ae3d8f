package io.giantvm.engine.devices.apic;

import static org.assertj.core.api.Assertions.assertThat;

import io.giantvm.engine.devices.Bus;
import io.giantvm.engine.devices.IoApic;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A level-triggered I/O APIC pin as Linux drives one: the guest ends the interrupt with an EOI to its local APIC
 * only, and that EOI travels back (TMR set at acceptance, EOI broadcast, through the MMIO bus as on a node that
 * may have to forward it) to clear the pin's remote IRR.
 */
class LevelTriggeredEoiBroadcastTest {
    private static final long IOAPIC_BASE = 0xFEC0_0000L;
    private static final int VECTOR = 0x31, TMR1 = 0x190, EOI = 0x0B0, IOREGSEL = 0x00, IOWIN = 0x10;
    private static final long REMOTE_IRR = 1L << 14, LEVEL = 1L << 15;

    private final List<Integer> wakes = new ArrayList<>();
    private final Bus mmio = new Bus("mmio");
    private final ApicRouter router = new ApicRouter(wakes::add, new ApLifecycle() {
        @Override
        public void init(int apicId) { }

        @Override
        public void startup(int apicId, int vector) { }
    }, RemoteIpiSink.NONE, IoApic.eoiThrough(mmio, IOAPIC_BASE));
    private final IoApic ioApic = new IoApic(0, 24, router);
    private final LocalApic cpu0 = new LocalApic(0, router, new ManualTimerScheduler(), wakes::add, router);

    LevelTriggeredEoiBroadcastTest() {
        mmio.register(IOAPIC_BASE, 0x1000, "io-apic", ioApic);
        router.register(cpu0);
        ApicFixture.write(cpu0, 0x0F0, 0x1FF); // SVR: enabled
        // Pin 9 (ACPI's SCI is level, active low on PCs): vector 0x31, fixed, physical, to APIC 0, level-triggered.
        ioApic.write(0, IOREGSEL, 4, 0x10 + 2 * 9);
        ioApic.write(0, IOWIN, 4, VECTOR | LEVEL);
    }

    private long redirectionLow(int pin) {
        ioApic.write(0, IOREGSEL, 4, 0x10 + 2 * pin);
        return ioApic.read(0, IOWIN, 4);
    }

    @Test
    void theLocalApicsEoiClearsRemoteIrrAndAStillAssertedLineFiresAgain() {
        ioApic.setLine(9, true);
        assertThat(cpu0.acknowledge()).isEqualTo(VECTOR);
        assertThat(ApicFixture.read(cpu0, TMR1) & (1 << (VECTOR & 31))).as("TMR marks the vector level-triggered").isNotZero();
        assertThat(redirectionLow(9) & REMOTE_IRR).as("remote IRR while the vector is in service").isNotZero();

        ApicFixture.write(cpu0, EOI, 0); // the device still holds the line

        assertThat(redirectionLow(9) & REMOTE_IRR).as("remote IRR after the broadcast").isNotZero(); // fired again
        assertThat(cpu0.pendingVector()).as("the line is still asserted: the interrupt comes again").isEqualTo(VECTOR);
        assertThat(cpu0.acknowledge()).isEqualTo(VECTOR);

        ioApic.setLine(9, false); // the handler served the device
        ApicFixture.write(cpu0, EOI, 0);
        assertThat(redirectionLow(9) & REMOTE_IRR).as("remote IRR once the EOI came back").isZero();
        assertThat(cpu0.pendingVector()).isEqualTo(-1);
        assertThat(ApicFixture.read(cpu0, TMR1)).isZero();
    }

    @Test
    void edgeTriggeredVectorsAreNotBroadcast() {
        List<Integer> broadcasts = new ArrayList<>();
        LocalApic cpu1 = new LocalApic(1, router, new ManualTimerScheduler(), wakes::add, (vcpu, vector) -> broadcasts.add(vector));
        ApicFixture.write(cpu1, 0x0F0, 0x1FF);
        cpu1.accept(0x40, false);
        cpu1.accept(0x50, true);
        assertThat(cpu1.acknowledge()).isEqualTo(0x50);
        ApicFixture.write(cpu1, EOI, 0);
        assertThat(cpu1.acknowledge()).isEqualTo(0x40);
        ApicFixture.write(cpu1, EOI, 0);
        assertThat(broadcasts).containsExactly(0x50);
    }
}
