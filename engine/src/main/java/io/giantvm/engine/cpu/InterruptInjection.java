package io.giantvm.engine.cpu;

/**
 * The userspace-irqchip half of entering the guest: what one vCPU hands KVM before a KVM_RUN.
 *
 * <p>Inject when KVM says the guest can take an interrupt now, otherwise ask KVM to exit at the next interrupt
 * window. At most one KVM_INTERRUPT per KVM_RUN: kvm_run's ready_for_interrupt_injection describes the state at
 * the last exit, so when a request sends the vCPU loop round without entering the guest it still says "ready".
 * Without an in-kernel irqchip KVM keeps one queued interrupt and a second KVM_INTERRUPT silently replaces it: the
 * first vector, already in service in our APIC, never reaches the guest, is never EOI'd, and blocks its priority
 * class for ever. Seen as a 4-vCPU Linux whose every vCPU halted with the timer vector 0xec in ISR and IRR, PPR
 * 0xe0, and its clock stopped.
 *
 * <p>Vcpu thread only; allocation-free (it runs on every entry).
 */
final class InterruptInjection {
    /** What KVM offers for injection: the kvm_run page's flags and the vCPU's KVM_INTERRUPT and KVM_NMI. */
    interface Kvm {
        boolean readyForInjection();

        /** The guest's IF at the last exit (for the trace: an interrupt handed over with IF clear is a bug). */
        boolean interruptsEnabled();

        void requestInterruptWindow(boolean on);

        void interrupt(int vector);

        void nmi();
    }

    private final Kvm kvm;
    private final EventTrace trace;
    /** An interrupt was handed to KVM and no KVM_RUN has happened since. */
    private boolean injectedSinceRun;

    InterruptInjection(Kvm kvm, EventTrace trace) {
        this.kvm = kvm;
        this.trace = trace;
    }

    /** Right before KVM_RUN: hands KVM a pending NMI and at most one interrupt, or asks for an interrupt window. */
    void beforeEntry(InterruptSource interrupts) {
        if (interrupts.takeNmi()) {
            kvm.nmi();
            trace.record(EventTrace.Kind.NMI, 0, false);
        }
        if (interrupts.pendingVector() < 0) {
            kvm.requestInterruptWindow(false);
            return;
        }
        if (kvm.readyForInjection() && !injectedSinceRun) {
            int vector = interrupts.acknowledge();
            if (vector >= 0) {
                kvm.interrupt(vector);
                injectedSinceRun = true;
                trace.record(EventTrace.Kind.INTERRUPT, vector, kvm.interruptsEnabled());
            }
            kvm.requestInterruptWindow(interrupts.pendingVector() >= 0);
        } else {
            kvm.requestInterruptWindow(true);
            trace.record(EventTrace.Kind.WINDOW, 0, false);
        }
    }

    /** After KVM_RUN returned (an exit or EINTR): KVM has taken what was queued into the guest's entry. */
    void entered() {
        injectedSinceRun = false;
    }
}
