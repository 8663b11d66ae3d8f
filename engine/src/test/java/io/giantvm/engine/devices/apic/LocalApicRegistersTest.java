package io.giantvm.engine.devices.apic;

import static io.giantvm.engine.devices.apic.ApicFixture.latchedEsr;
import static io.giantvm.engine.devices.apic.ApicFixture.read;
import static io.giantvm.engine.devices.apic.ApicFixture.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Register layout, reset values, access rules, ESR, INIT. Offsets are spelled out from the SDM on purpose. */
class LocalApicRegistersTest {
    private final ApicFixture fixture = new ApicFixture();

    @Test
    void powerUpValuesMatchTheSdm() {
        LocalApic apic = fixture.apic(3);
        assertThat(read(apic, 0x020)).isEqualTo(0x0300_0000);
        assertThat(read(apic, 0x030)).isEqualTo(0x0005_0014);
        assertThat(read(apic, 0x080)).isZero();
        assertThat(read(apic, 0x0A0)).isZero();
        assertThat(read(apic, 0x0D0)).isZero();
        assertThat(read(apic, 0x0E0)).isEqualTo(0xFFFF_FFFF);
        assertThat(read(apic, 0x0F0)).isEqualTo(0xFF);
        for (int lvt = 0x320; lvt <= 0x370; lvt += 0x10) {
            assertThat(read(apic, lvt)).as("LVT at 0x%x", lvt).isEqualTo(0x1_0000);
        }
        assertThat(read(apic, 0x380)).isZero();
        assertThat(read(apic, 0x390)).isZero();
        assertThat(read(apic, 0x3E0)).isZero();
    }

    @Test
    void badWidthsOffsetsAndReservedRegistersAreIgnoredAndCounted() {
        LocalApic apic = fixture.enabledApic(0);
        write(apic, 0x080, 0x33);
        assertThat(apic.read(0, 0x080, 1)).isZero();
        assertThat(apic.read(0, 0x084, 4)).isZero();
        apic.write(0, 0x080, 8, 0x44);
        apic.write(0, 0x081, 4, 0x44);
        assertThat(read(apic, 0x080)).isEqualTo(0x33);
        assertThat(apic.unsupportedAccesses()).isEqualTo(4);
        assertThat(latchedEsr(apic)).isZero();

        assertThat(read(apic, 0x2F0)).isZero(); // CMCI LVT: not present with 6 LVT entries
        write(apic, 0x3F0, 1);
        assertThat(apic.unsupportedAccesses()).isEqualTo(6);
        assertThat(latchedEsr(apic)).isEqualTo(0x80);
        assertThat(apic.read(0, 0x1000, 4)).isZero();
    }

    @Test
    void readOnlyRegistersIgnoreWrites() {
        LocalApic apic = fixture.enabledApic(2);
        write(apic, 0x020, 0x0700_0000);
        write(apic, 0x030, 0);
        write(apic, 0x0A0, 0xFF);
        write(apic, 0x200, -1); // IRR
        assertThat(read(apic, 0x020)).isEqualTo(0x0200_0000);
        assertThat(read(apic, 0x030)).isEqualTo(0x0005_0014);
        assertThat(read(apic, 0x0A0)).isZero();
        assertThat(read(apic, 0x200)).isZero();
        assertThat(apic.unsupportedAccesses()).isZero();
    }

    @Test
    void logicalDestinationRegistersKeepOnlyTheirFieldsAndMatch() {
        LocalApic apic = fixture.enabledApic(0);
        write(apic, 0x0D0, 0x1234_5678);
        assertThat(read(apic, 0x0D0)).isEqualTo(0x1200_0000);
        assertThat(apic.matchesLogical(0x02)).isTrue(); // flat: any common bit
        assertThat(apic.matchesLogical(0x01)).isFalse();

        write(apic, 0x0E0, 0); // cluster model
        assertThat(read(apic, 0x0E0)).isEqualTo(0x0FFF_FFFF);
        assertThat(apic.matchesLogical(0x12)).isTrue(); // cluster 1, member bit 1
        assertThat(apic.matchesLogical(0x22)).isFalse(); // another cluster
        assertThat(apic.matchesLogical(0x11)).isFalse();
    }

    @Test
    void svrKeepsVectorEnableAndFocusBitsOnly() {
        LocalApic apic = fixture.apic(0);
        write(apic, 0x0F0, 0xFFFF_F3EF);
        assertThat(read(apic, 0x0F0)).isEqualTo(0x3EF);
    }

    @Test
    void illegalReceivedVectorIsLoggedInEsrNotInIrr() {
        LocalApic apic = fixture.enabledApic(0);
        assertThat(apic.accept(15)).isFalse();
        assertThat(read(apic, 0x200)).isZero();
        assertThat(read(apic, 0x280)).as("ESR shows nothing before software latches it").isZero();
        assertThat(latchedEsr(apic)).isEqualTo(0x40);
        assertThat(latchedEsr(apic)).as("a write clears what was logged").isZero();
    }

    @Test
    void illegalVectorRaisesTheErrorInterruptWhenItsLvtIsUnmasked() {
        LocalApic apic = fixture.enabledApic(0);
        write(apic, 0x370, 0xFE);
        assertThat(apic.accept(3)).as("the vCPU must be woken for the error interrupt").isTrue();
        assertThat(apic.pendingVector()).isEqualTo(0xFE);
        assertThat(latchedEsr(apic)).isEqualTo(0x40);
    }

    @Test
    void sendingAnIllegalVectorLogsAnErrorAndSendsNothing() {
        LocalApic apic = fixture.enabledApic(0);
        write(apic, 0x310, 0x0100_0000);
        write(apic, 0x300, 0x0000_400F);
        assertThat(fixture.sent).isEmpty();
        assertThat(latchedEsr(apic)).isEqualTo(0x20);
    }

    @Test
    void icrReadsBackWithDeliveryStatusIdle() {
        LocalApic apic = fixture.enabledApic(0);
        write(apic, 0x310, 0x03FF_FFFF);
        write(apic, 0x300, 0xFFFF_FFFF);
        assertThat(read(apic, 0x310)).isEqualTo(0x0300_0000);
        assertThat(read(apic, 0x300)).isEqualTo(0x000C_CFFF);
        assertThat(fixture.sent).hasSize(1);
    }

    @Test
    void initResetsEverythingButTheId() {
        LocalApic apic = fixture.enabledApic(5);
        write(apic, 0x080, 0x20);
        write(apic, 0x0D0, 0x0800_0000);
        write(apic, 0x0E0, 0);
        write(apic, 0x320, 0x2_0030);
        write(apic, 0x3E0, 0x3);
        write(apic, 0x380, 1_000_000);
        write(apic, 0x310, 0x0100_0000);
        write(apic, 0x300, 0x4040);
        apic.accept(0x50);
        apic.acknowledge();
        apic.accept(0x60);
        apic.accept(2);
        apic.acceptNmi();

        apic.init();

        assertThat(read(apic, 0x020)).isEqualTo(0x0500_0000);
        assertThat(read(apic, 0x080)).isZero();
        assertThat(read(apic, 0x0D0)).isZero();
        assertThat(read(apic, 0x0E0)).isEqualTo(0xFFFF_FFFF);
        assertThat(read(apic, 0x0F0)).isEqualTo(0xFF);
        assertThat(read(apic, 0x320)).isEqualTo(0x1_0000);
        assertThat(read(apic, 0x380)).isZero();
        assertThat(read(apic, 0x390)).isZero();
        assertThat(read(apic, 0x3E0)).isZero();
        assertThat(read(apic, 0x300)).isZero();
        assertThat(read(apic, 0x310)).isZero();
        assertThat(read(apic, 0x150)).as("ISR").isZero();
        assertThat(read(apic, 0x230)).as("IRR").isZero();
        assertThat(latchedEsr(apic)).isZero();
        assertThat(apic.takeNmi()).isFalse();
        assertThat(fixture.clock.pendingTasks()).as("the timer's host timer is cancelled").isZero();
    }

    @Test
    void vectorsOutsideAByteAreABug() {
        LocalApic apic = fixture.enabledApic(0);
        assertThatThrownBy(() -> apic.accept(256)).hasMessageContaining("vector 256");
        assertThatThrownBy(() -> apic.accept(-1)).hasMessageContaining("vector -1");
    }

    @Test
    void apicIdMustBeAnXapicUnicastId() {
        assertThatThrownBy(() -> fixture.apic(255)).hasMessageContaining("APIC id 255");
        assertThatThrownBy(() -> fixture.apic(-1)).hasMessageContaining("APIC id -1");
    }
}
