package io.giantvm.engine.devices.apic;

import static io.giantvm.engine.devices.apic.ApicFixture.read;
import static io.giantvm.engine.devices.apic.ApicFixture.write;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** IRR/ISR/PPR behaviour: what the engine injects, in which order, and what blocks it. */
class LocalApicPriorityTest {
    private static final int TPR = 0x080, APR = 0x090, PPR = 0x0A0, EOI = 0x0B0;
    private static final int ISR2 = 0x120, IRR2 = 0x220, IRR1 = 0x210, ISR1 = 0x110, ISR3 = 0x130, ISR4 = 0x140;

    private final ApicFixture fixture = new ApicFixture();

    @Test
    void highestVectorIsDeliveredFirstAndAcknowledgeMovesItFromIrrToIsr() {
        LocalApic apic = fixture.enabledApic(0);
        apic.accept(0x31);
        apic.accept(0x45);
        apic.accept(0x40);

        assertThat(apic.pendingVector()).isEqualTo(0x45);
        assertThat(read(apic, IRR2)).isEqualTo((1 << 0) | (1 << 5)); // 0x40 and 0x45
        assertThat(apic.acknowledge()).isEqualTo(0x45);

        assertThat(read(apic, IRR2)).isEqualTo(1); // 0x40 left
        assertThat(read(apic, ISR2)).isEqualTo(1 << 5);
        assertThat(read(apic, PPR)).isEqualTo(0x40);
        // 0x40 is in the same class as 0x45 in service: it waits for the EOI.
        assertThat(apic.pendingVector()).isEqualTo(-1);
        assertThat(apic.acknowledge()).isEqualTo(-1);

        write(apic, EOI, 0);
        assertThat(read(apic, ISR2)).isZero();
        assertThat(read(apic, PPR)).isZero();
        assertThat(apic.acknowledge()).isEqualTo(0x40);
        write(apic, EOI, 0);
        assertThat(apic.acknowledge()).isEqualTo(0x31);
        assertThat(read(apic, ISR1)).isEqualTo(1 << 17);
        assertThat(read(apic, IRR1)).isZero();
    }

    @Test
    void tprBlocksVectorsWhoseClassIsNotAboveIt() {
        LocalApic apic = fixture.enabledApic(0);
        write(apic, TPR, 0x5A);
        assertThat(read(apic, TPR)).isEqualTo(0x5A);
        assertThat(read(apic, PPR)).isEqualTo(0x5A);

        apic.accept(0x5F);
        assertThat(apic.pendingVector()).isEqualTo(-1);
        apic.accept(0x60);
        assertThat(apic.pendingVector()).isEqualTo(0x60);

        write(apic, TPR, 0x60);
        assertThat(apic.pendingVector()).isEqualTo(-1);
        write(apic, TPR, 0x4F);
        assertThat(apic.pendingVector()).isEqualTo(0x60);
        write(apic, TPR, 0x1FF); // only bits 0..7 exist
        assertThat(read(apic, TPR)).isEqualTo(0xFF);
    }

    @Test
    void nestedInServiceVectorsEndInPriorityOrder() {
        LocalApic apic = fixture.enabledApic(0);
        apic.accept(0x30);
        assertThat(apic.acknowledge()).isEqualTo(0x30);
        apic.accept(0x80);
        assertThat(apic.acknowledge()).isEqualTo(0x80); // preempts 0x30's handler
        apic.accept(0x70);
        assertThat(read(apic, PPR)).isEqualTo(0x80);
        assertThat(apic.pendingVector()).isEqualTo(-1);

        write(apic, EOI, 0); // ends 0x80, the highest in service
        assertThat(read(apic, ISR4)).isZero();
        assertThat(read(apic, ISR1)).isEqualTo(1 << 16);
        assertThat(read(apic, PPR)).isEqualTo(0x30);
        assertThat(apic.acknowledge()).isEqualTo(0x70);
        assertThat(read(apic, ISR3)).isEqualTo(1 << 16);

        write(apic, EOI, 0);
        assertThat(read(apic, ISR3)).isZero();
        write(apic, EOI, 0);
        assertThat(read(apic, ISR1)).isZero();
        write(apic, EOI, 0); // nothing in service: no effect
        assertThat(read(apic, PPR)).isZero();
    }

    @Test
    void tprAboveInServiceClassWinsInPpr() {
        LocalApic apic = fixture.enabledApic(0);
        apic.accept(0x35);
        apic.acknowledge();
        write(apic, TPR, 0x47);
        assertThat(read(apic, PPR)).isEqualTo(0x47);
        write(apic, TPR, 0x2F);
        assertThat(read(apic, PPR)).isEqualTo(0x30);
    }

    @Test
    void aprCountsTheHighestRequestedClass() {
        LocalApic apic = fixture.enabledApic(0);
        write(apic, TPR, 0x21);
        assertThat(read(apic, APR)).isEqualTo(0x21);
        apic.accept(0x51);
        assertThat(read(apic, APR)).isEqualTo(0x50);
    }

    @Test
    void softwareDisabledApicDropsFixedInterruptsAndMasksLvts() {
        LocalApic apic = fixture.apic(0);
        assertThat(apic.isSoftwareEnabled()).isFalse();
        assertThat(apic.accept(0x40)).isFalse();
        assertThat(read(apic, IRR2)).isZero();
        write(apic, 0x320, 0x20); // unmask attempt while disabled
        assertThat(read(apic, 0x320)).isEqualTo(0x10020);

        write(apic, 0x0F0, 0x1FF);
        assertThat(apic.isSoftwareEnabled()).isTrue();
        write(apic, 0x320, 0x20);
        write(apic, 0x370, 0xFE);
        assertThat(read(apic, 0x320)).isEqualTo(0x20);
        assertThat(apic.accept(0x40)).isTrue();
        assertThat(apic.pendingVector()).isEqualTo(0x40);

        write(apic, 0x0F0, 0x0FF); // software disable
        assertThat(apic.pendingVector()).isEqualTo(-1);
        assertThat(read(apic, 0x320)).isEqualTo(0x10020);
        assertThat(read(apic, 0x370)).isEqualTo(0x100FE);
        assertThat(apic.accept(0x41)).isFalse();
        assertThat(read(apic, IRR2)).isEqualTo(1); // held, not lost

        write(apic, 0x0F0, 0x1FF); // re-enabling does not unmask
        assertThat(read(apic, 0x320)).isEqualTo(0x10020);
        assertThat(apic.pendingVector()).isEqualTo(0x40);
    }

    @Test
    void nmiIsAcceptedEvenWhileDisabledAndTakenOnce() {
        LocalApic apic = fixture.apic(0);
        assertThat(apic.takeNmi()).isFalse();
        assertThat(apic.acceptNmi()).isTrue();
        assertThat(apic.takeNmi()).isTrue();
        assertThat(apic.takeNmi()).isFalse();
    }

    @Test
    void aPendingNmiIsVisibleWithoutBeingTakenSoThatItCanWakeAHaltedCpu() {
        LocalApic apic = fixture.apic(0);
        assertThat(apic.hasPendingNmi()).isFalse();
        apic.acceptNmi();
        assertThat(apic.pendingVector()).as("no vector: only the NMI check can wake the CPU").isEqualTo(-1);
        assertThat(apic.hasPendingNmi()).isTrue();
        assertThat(apic.hasPendingNmi()).as("looking does not take it").isTrue();
        assertThat(apic.takeNmi()).isTrue();
        assertThat(apic.hasPendingNmi()).isFalse();
    }
}
