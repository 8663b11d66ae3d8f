package io.giantvm.engine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import io.giantvm.engine.devices.apic.HostTimerScheduler;
import io.giantvm.engine.devices.apic.LocalApic;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a vCPU hands KVM before KVM_RUN, against a real local APIC and a KVM modelled as it behaves without an
 * in-kernel irqchip: one queued interrupt, which a second KVM_INTERRUPT replaces.
 */
class InterruptInjectionTest {
    private static final int SVR = 0x0F0, EOI = 0x0B0, TIMER = 0xec, RESCHEDULE = 0xfd;

    private final HostTimerScheduler timers = new HostTimerScheduler();
    private final LocalApic apic = new LocalApic(0, ipi -> { }, timers, id -> { });
    private final OneSlotKvm kvm = new OneSlotKvm();
    private final EventTrace trace = new EventTrace();
    private final InterruptInjection injection = new InterruptInjection(kvm, trace);
    private final InterruptSource source = new InterruptSource() {
        @Override
        public int pendingVector() {
            return apic.pendingVector();
        }

        @Override
        public int acknowledge() {
            return apic.acknowledge();
        }
    };

    /** KVM_INTERRUPT without an in-kernel irqchip: one slot; what is in it when KVM_RUN enters reaches the guest. */
    private final class OneSlotKvm implements InterruptInjection.Kvm {
        boolean ready = true;
        boolean windowRequested;
        int queued = -1;
        final List<Integer> replaced = new ArrayList<>();
        final List<Integer> handledByGuest = new ArrayList<>();

        @Override
        public boolean readyForInjection() {
            return ready;
        }

        @Override
        public boolean interruptsEnabled() {
            return ready;
        }

        @Override
        public void requestInterruptWindow(boolean on) {
            windowRequested = on;
        }

        @Override
        public void interrupt(int vector) {
            if (queued >= 0) {
                replaced.add(queued);
            }
            queued = vector;
        }

        @Override
        public void nmi() {
            throw new AssertionError("no NMI in these tests");
        }

        /** KVM_RUN: the guest takes the queued interrupt, its handler EOIs it, and the vCPU exits again. */
        void run() {
            if (queued >= 0) {
                handledByGuest.add(queued);
                queued = -1;
                apic.write(0, EOI, 4, 0);
            }
            injection.entered();
        }
    }

    InterruptInjectionTest() {
        apic.write(0, SVR, 4, 0x1FF); // software-enabled, as Linux leaves it
    }

    @AfterEach
    void stopTimers() {
        timers.close();
    }

    @Test
    void aSecondInterruptWaitsForTheNextEntryInsteadOfReplacingTheQueuedOne() {
        apic.accept(TIMER);
        injection.beforeEntry(source);
        assertThat(kvm.queued).isEqualTo(TIMER);

        // A kick sends the loop round without KVM_RUN; ready_for_interrupt_injection still says "ready" from the
        // last exit, and a higher vector has arrived meanwhile.
        apic.accept(RESCHEDULE);
        injection.beforeEntry(source);
        assertThat(kvm.replaced).as("vectors KVM dropped from its one slot").isEmpty();
        assertThat(kvm.windowRequested).as("an exit at the next window delivers the second one").isTrue();

        kvm.run();
        injection.beforeEntry(source);
        kvm.run();
        injection.beforeEntry(source);

        assertThat(kvm.handledByGuest).containsExactly(TIMER, RESCHEDULE);
        assertThat(trace.lastEvents()).containsExactly("interrupt 0xec (IF=1)", "window requested", "interrupt 0xfd (IF=1)");
        assertThat(apic.pendingVector()).as("nothing left in service to block later interrupts").isEqualTo(-1);
        assertThat(kvm.windowRequested).isFalse();
    }

    @Test
    void aTimerVectorLeftInServiceWouldBlockEveryLaterTimerInterrupt() {
        // The symptom the rule prevents, shown on the APIC alone: a vector acknowledged but never delivered
        // stays in ISR, and the next interrupt of its class is never deliverable.
        apic.accept(TIMER);
        assertThat(apic.acknowledge()).isEqualTo(TIMER);
        apic.accept(TIMER);
        assertThat(apic.pendingVector()).isEqualTo(-1);
    }

    @Test
    void notReadyAsksForAnInterruptWindowAndAcknowledgesNothing() {
        kvm.ready = false;
        apic.accept(TIMER);
        injection.beforeEntry(source);
        assertThat(kvm.queued).isEqualTo(-1);
        assertThat(kvm.windowRequested).isTrue();
        assertThat(apic.pendingVector()).as("still pending in IRR, not moved to ISR").isEqualTo(TIMER);
    }

    @Test
    void withNothingPendingNoWindowIsRequested() {
        kvm.windowRequested = true;
        injection.beforeEntry(source);
        assertThat(kvm.windowRequested).isFalse();
        assertThat(kvm.queued).isEqualTo(-1);
    }
}
