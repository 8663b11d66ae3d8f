package io.giantvm.engine.devices.apic;

import static io.giantvm.engine.devices.apic.ApicFixture.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** ICR writes, as the test guest and Linux make them, decode into the IPI they mean. */
class ApicIpiDecodeTest {
    private final ApicFixture fixture = new ApicFixture();

    private Ipi sendFrom(int sourceId, int icrHigh, int icrLow) {
        LocalApic apic = fixture.enabledApic(sourceId);
        write(apic, 0x310, icrHigh);
        write(apic, 0x300, icrLow);
        assertThat(fixture.sent).hasSize(1);
        return fixture.sent.getFirst();
    }

    @Test
    void guestInitToAp() {
        // GUEST-CONTRACT: INIT, level assert, physical destination in ICR high bits 24..31.
        assertThat(sendFrom(0, 0x0100_0000, 0x0000_4500)).isEqualTo(new Ipi(0, 1,
                DestinationMode.PHYSICAL, DestinationShorthand.NONE, DeliveryMode.INIT, 0, true, TriggerMode.EDGE));
    }

    @Test
    void guestStartupWithTrampolinePage8() {
        assertThat(sendFrom(0, 0x0300_0000, 0x0000_4608)).isEqualTo(new Ipi(0, 3,
                DestinationMode.PHYSICAL, DestinationShorthand.NONE, DeliveryMode.STARTUP, 8, true, TriggerMode.EDGE));
    }

    @Test
    void fixedTestIpi() {
        Ipi ipi = sendFrom(2, 0x0000_0000, 0x0000_4040);
        assertThat(ipi).isEqualTo(new Ipi(2, 0,
                DestinationMode.PHYSICAL, DestinationShorthand.NONE, DeliveryMode.FIXED, 0x40, true, TriggerMode.EDGE));
        assertThat(ipi.isPhysicalUnicast()).isTrue();
    }

    @Test
    void shorthandsIgnoreTheDestinationField() {
        assertThat(Ipi.decode(4, 0x000_4040 | (1 << 18), 0x0900_0000).shorthand()).isEqualTo(DestinationShorthand.SELF);
        assertThat(Ipi.decode(4, 0x000_4030 | (2 << 18), 0).shorthand()).isEqualTo(DestinationShorthand.ALL_INCLUDING_SELF);
        Ipi allButSelf = Ipi.decode(4, 0x000_4030 | (3 << 18), 0x0900_0000);
        assertThat(allButSelf.shorthand()).isEqualTo(DestinationShorthand.ALL_EXCLUDING_SELF);
        assertThat(allButSelf.isPhysicalUnicast()).isFalse();
        assertThat(allButSelf.sourceApicId()).isEqualTo(4);
    }

    @Test
    void physicalBroadcastIsNotAUnicast() {
        Ipi ipi = Ipi.decode(0, 0x4040, 0xFF00_0000);
        assertThat(ipi.destination()).isEqualTo(0xFF);
        assertThat(ipi.isPhysicalUnicast()).isFalse();
    }

    @Test
    void logicalDestinationAndOtherModes() {
        Ipi logical = Ipi.decode(0, 0x0000_4940, 0x0600_0000);
        assertThat(logical.destinationMode()).isEqualTo(DestinationMode.LOGICAL);
        assertThat(logical.deliveryMode()).isEqualTo(DeliveryMode.LOWEST_PRIORITY);
        assertThat(logical.destination()).isEqualTo(0x06);
        assertThat(Ipi.decode(0, 0x0000_4400, 0).deliveryMode()).isEqualTo(DeliveryMode.NMI);
        assertThat(Ipi.decode(0, 0x0000_4200, 0).deliveryMode()).isEqualTo(DeliveryMode.SMI);
    }

    @Test
    void initLevelDeassertIsRecognised() {
        Ipi deassert = Ipi.decode(0, 0x0000_8500 | (2 << 18), 0);
        assertThat(deassert.levelAssert()).isFalse();
        assertThat(deassert.triggerMode()).isEqualTo(TriggerMode.LEVEL);
        assertThat(deassert.isInitLevelDeassert()).isTrue();
        assertThat(Ipi.decode(0, 0x0000_C500, 0).isInitLevelDeassert()).isFalse(); // level assert
    }

    @Test
    void startupAndInitAreSentEvenWithVectorsBelow16() {
        sendFrom(0, 0x0100_0000, 0x0000_4600); // SIPI to page 0 is legal
        assertThat(fixture.sent.getFirst().vector()).isZero();
    }

    @Test
    void outOfRangeFieldsAreRejectedWithTheField() {
        assertThatThrownBy(() -> new Ipi(0, 256, DestinationMode.PHYSICAL, DestinationShorthand.NONE,
                DeliveryMode.FIXED, 0x40, true, TriggerMode.EDGE)).hasMessageContaining("destination 256");
        assertThatThrownBy(() -> new Ipi(300, 1, DestinationMode.PHYSICAL, DestinationShorthand.NONE,
                DeliveryMode.FIXED, 0x40, true, TriggerMode.EDGE)).hasMessageContaining("source APIC id 300");
    }
}
