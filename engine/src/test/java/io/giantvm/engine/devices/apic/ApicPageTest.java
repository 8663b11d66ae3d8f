package io.giantvm.engine.devices.apic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.giantvm.engine.devices.Bus;
import org.junit.jupiter.api.Test;

/** Each vCPU sees its own APIC at the same guest-physical page, through the real MMIO bus. */
class ApicPageTest {
    private final ApicFixture fixture = new ApicFixture();

    @Test
    void accessesReachTheAccessingVcpusApic() {
        ApicPage page = new ApicPage(2);
        page.attach(0, fixture.apic(0));
        page.attach(1, fixture.apic(1));
        Bus mmio = new Bus("mmio");
        mmio.register(ApicRegisters.MMIO_BASE, ApicRegisters.MMIO_SIZE, "local-apic", page);

        assertThat(mmio.read(0, 0xFEE0_0020L, 4)).isEqualTo(0x0000_0000L);
        assertThat(mmio.read(1, 0xFEE0_0020L, 4)).isEqualTo(0x0100_0000L);
        mmio.write(1, 0xFEE0_0080L, 4, 0x40);
        assertThat(mmio.read(1, 0xFEE0_0080L, 4)).isEqualTo(0x40L);
        assertThat(mmio.read(0, 0xFEE0_0080L, 4)).isZero();
        assertThat(mmio.read(0, 0xFEE0_0FF0L, 4)).isZero();
        assertThat(mmio.isMapped(0xFEE0_1000L)).isFalse();
    }

    @Test
    void vcpusWithoutAnApicReadZeroAndAreCounted() {
        ApicPage page = new ApicPage(2);
        page.attach(0, fixture.apic(0));
        assertThat(page.read(1, 0x20, 4)).isZero();
        page.write(7, 0x80, 4, 1);
        assertThat(page.orphanAccesses()).isEqualTo(2);
        assertThatThrownBy(() -> page.attach(0, fixture.apic(1))).hasMessageContaining("vCPU 0 already has an APIC");
        assertThatThrownBy(() -> page.attach(2, fixture.apic(2))).hasMessageContaining("vCPU 2 is outside 0..1");
    }
}
