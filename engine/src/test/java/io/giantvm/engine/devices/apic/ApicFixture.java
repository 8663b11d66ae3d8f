package io.giantvm.engine.devices.apic;

import java.util.ArrayList;
import java.util.List;

/** Builds APICs against recording collaborators and offers raw MMIO access, as the guest would do it. */
final class ApicFixture {
    final ManualTimerScheduler clock;
    final List<Ipi> sent = new ArrayList<>();
    final List<Integer> wakes = new ArrayList<>();

    ApicFixture() {
        this(new ManualTimerScheduler());
    }

    ApicFixture(ManualTimerScheduler clock) {
        this.clock = clock;
    }

    LocalApic apic(int id) {
        return new LocalApic(id, sent::add, clock, wakes::add);
    }

    /** An APIC with SVR = 0x1FF: software-enabled, spurious vector 0xFF (what the test guest writes). */
    LocalApic enabledApic(int id) {
        LocalApic apic = apic(id);
        write(apic, 0x0F0, 0x1FF);
        return apic;
    }

    static void write(LocalApic apic, int offset, int value) {
        apic.write(0, offset, 4, Integer.toUnsignedLong(value));
    }

    static int read(LocalApic apic, int offset) {
        return (int) apic.read(0, offset, 4);
    }

    /** ESR reads what the last ESR write latched, so latch first, as the SDM tells software to. */
    static int latchedEsr(LocalApic apic) {
        write(apic, 0x280, 0);
        return read(apic, 0x280);
    }
}
