package io.giantvm.engine.devices;

import io.giantvm.engine.devices.apic.DeliveryMode;
import io.giantvm.engine.devices.apic.DestinationMode;
import io.giantvm.engine.devices.apic.Ipi;
import io.giantvm.engine.devices.apic.TriggerMode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IoApicTest {
    private final List<Ipi> sent = new ArrayList<>();
    private final IoApic ioApic = new IoApic(0, 24, sent::add);

    private void program(int pin, long entry) {
        ioApic.write(0, IoApic.IOREGSEL, 4, IoApic.REG_REDIRECTION + 2 * pin);
        ioApic.write(0, IoApic.IOWIN, 4, entry & 0xFFFF_FFFFL);
        ioApic.write(0, IoApic.IOREGSEL, 4, IoApic.REG_REDIRECTION + 2 * pin + 1);
        ioApic.write(0, IoApic.IOWIN, 4, entry >>> 32);
    }

    private int register(int index) {
        ioApic.write(0, IoApic.IOREGSEL, 4, index);
        return (int) ioApic.read(0, IoApic.IOWIN, 4);
    }

    @Test
    void versionRegisterSays24PinsVersion0x20AndPinsStartMasked() {
        assertThat(register(IoApic.REG_VERSION)).isEqualTo(0x0017_0020);
        assertThat(ioApic.redirectionEntry(4) & IoApic.MASKED).isNotZero();
        ioApic.setLine(4, true);
        assertThat(sent).isEmpty();
    }

    @Test
    void anEdgePinSendsOneMessagePerRisingEdgeToItsDestination() {
        program(4, 0x31L | (3L << 56)); // vector 0x31, fixed, physical, edge, unmasked, APIC id 3
        ioApic.setLine(4, true);
        ioApic.setLine(4, true); // still high: no new edge
        ioApic.setLine(4, false);
        ioApic.setLine(4, true);
        assertThat(sent).hasSize(2);
        Ipi m = sent.getFirst();
        assertThat(m.vector()).isEqualTo(0x31);
        assertThat(m.destination()).isEqualTo(3);
        assertThat(m.destinationMode()).isEqualTo(DestinationMode.PHYSICAL);
        assertThat(m.deliveryMode()).isEqualTo(DeliveryMode.FIXED);
        assertThat(m.triggerMode()).isEqualTo(TriggerMode.EDGE);
    }

    @Test
    void logicalLowestPriorityEntriesKeepTheirModes() {
        program(4, 0x41L | (1L << 8) | IoApic.DEST_LOGICAL | (0x03L << 56));
        ioApic.setLine(4, true);
        assertThat(sent.getFirst().deliveryMode()).isEqualTo(DeliveryMode.LOWEST_PRIORITY);
        assertThat(sent.getFirst().destinationMode()).isEqualTo(DestinationMode.LOGICAL);
        assertThat(sent.getFirst().destination()).isEqualTo(3);
    }

    @Test
    void aLevelPinWaitsInRemoteIrrUntilEoiAndFiresAgainWhileStillAsserted() {
        program(9, 0x51L | IoApic.TRIGGER_LEVEL);
        ioApic.setLine(9, true);
        ioApic.setLine(9, true);
        assertThat(sent).hasSize(1);
        assertThat(ioApic.redirectionEntry(9) & IoApic.REMOTE_IRR).isNotZero();
        ioApic.endOfInterrupt(0x51); // still asserted: again
        assertThat(sent).hasSize(2);
        ioApic.setLine(9, false);
        ioApic.write(0, IoApic.EOI, 4, 0x51); // the EOI register does the same
        assertThat(ioApic.redirectionEntry(9) & IoApic.REMOTE_IRR).isZero();
        assertThat(sent).hasSize(2);
        assertThat(sent.getLast().triggerMode()).isEqualTo(TriggerMode.LEVEL);
    }

    @Test
    void unmaskingAnAssertedLevelPinFiresAndRemoteIrrIsReadOnly() {
        program(9, 0x51L | IoApic.TRIGGER_LEVEL | IoApic.MASKED);
        ioApic.setLine(9, true);
        assertThat(sent).isEmpty();
        program(9, 0x51L | IoApic.TRIGGER_LEVEL | IoApic.REMOTE_IRR); // software cannot set remote IRR...
        assertThat(sent).hasSize(1); // ...but unmasking delivers, which sets it
        assertThat(ioApic.redirectionEntry(9) & IoApic.REMOTE_IRR).isNotZero();
    }
}
