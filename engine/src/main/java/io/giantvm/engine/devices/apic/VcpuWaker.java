package io.giantvm.engine.devices.apic;

/**
 * Makes the vCPU that owns an APIC notice a newly pending interrupt: if it is halted, wake it; if
 * it is inside KVM_RUN, kick it out (SIGUSR1 via tgkill) so that it can request an interrupt
 * window. Called from other vCPU threads and the "apic-timer" thread, never under an APIC lock;
 * must not block for long and must tolerate a vCPU that is not running yet or already stopped.
 */
@FunctionalInterface
public interface VcpuWaker {
    void wake(int apicId);
}
