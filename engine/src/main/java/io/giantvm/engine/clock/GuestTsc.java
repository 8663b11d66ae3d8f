package io.giantvm.engine.clock;

import io.giantvm.engine.kvm.VcpuFd;
import io.giantvm.engine.kvm.VirtualMachine;
import java.time.Instant;
import java.util.List;

/** The VM-wide TSC value at a moment of the common clock, and setting it on vCPUs. */
public final class GuestTsc {
    private static final long NANOS_PER_MILLI = 1_000_000;

    private GuestTsc() {}

    /** CLOCK_REALTIME in nanoseconds. */
    public static long nowNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /**
     * TSC cycles at {@code commonNanos} for a VM whose TSC was 0 at {@code epochNanos} and runs at
     * {@code tscKhz} (kHz = cycles per millisecond; split so that days of uptime at 10 GHz do not overflow).
     */
    public static long valueAt(long commonNanos, long epochNanos, long tscKhz) {
        long elapsed = Math.max(0, commonNanos - epochNanos);
        return elapsed / NANOS_PER_MILLI * tscKhz + elapsed % NANOS_PER_MILLI * tscKhz / NANOS_PER_MILLI;
    }

    /**
     * Writes each vCPU's TSC to the VM's value now (this host's clock plus {@code offsetNanos} is the common
     * clock). Each value is computed right before its write, so the writes' own cost adds no skew. Set-up only:
     * the vCPUs must not run yet.
     */
    public static void setAll(List<VcpuFd> vcpus, long epochNanos, long offsetNanos, long tscKhz) {
        for (VcpuFd fd : vcpus) {
            fd.setMsr(VcpuFd.MSR_IA32_TSC, valueAt(nowNanos() + offsetNanos, epochNanos, tscKhz));
        }
    }

    /**
     * Sets the VM's kvmclock to the time since the VM's epoch, as the TSC: KVM starts each VM's kvmclock at 0
     * when it is created, and a Linux guest reads kvm-clock (clocksource and sched_clock) on every vCPU, so
     * without this the vCPUs of different nodes would read clocks seconds apart (time going backwards whenever
     * the timekeeping CPU's reading is compared with another's). Set-up only, like {@link #setAll}.
     */
    public static void setKvmClock(VirtualMachine vm, long epochNanos, long offsetNanos) {
        vm.setClock(Math.max(0, nowNanos() + offsetNanos - epochNanos));
    }
}
