package io.giantvm.engine.devices.apic;

import io.giantvm.engine.devices.BusDevice;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one device registered on the MMIO bus at {@link ApicRegisters#MMIO_BASE}. Every vCPU sees
 * its own APIC at that same address, so this forwards each access to the accessing vCPU's
 * {@link LocalApic}. Accesses from a vCPU without an APIC read 0, drop writes and are counted.
 */
public final class ApicPage implements BusDevice {
    private final AtomicReferenceArray<LocalApic> byVcpu;
    private final LongAdder orphanAccesses = new LongAdder();

    /** {@code maxVcpus}: the highest global vCPU index plus one. */
    public ApicPage(int maxVcpus) {
        if (maxVcpus < 1) {
            throw new IllegalArgumentException("APIC page needs at least one vCPU slot, got " + maxVcpus);
        }
        byVcpu = new AtomicReferenceArray<>(maxVcpus);
    }

    /** Makes {@code apic} the APIC that vCPU {@code vcpu} (global index) sees. */
    public void attach(int vcpu, LocalApic apic) {
        if (vcpu < 0 || vcpu >= byVcpu.length()) {
            throw new IllegalArgumentException("vCPU " + vcpu + " is outside 0.." + (byVcpu.length() - 1));
        }
        if (!byVcpu.compareAndSet(vcpu, null, apic)) {
            throw new IllegalArgumentException("vCPU " + vcpu + " already has an APIC");
        }
    }

    /** Accesses by vCPUs that have no APIC attached. */
    public long orphanAccesses() {
        return orphanAccesses.sum();
    }

    @Override
    public long read(int vcpu, long offset, int size) {
        LocalApic apic = apicOf(vcpu);
        return apic == null ? 0 : apic.read(vcpu, offset, size);
    }

    @Override
    public void write(int vcpu, long offset, int size, long value) {
        LocalApic apic = apicOf(vcpu);
        if (apic != null) {
            apic.write(vcpu, offset, size, value);
        }
    }

    private LocalApic apicOf(int vcpu) {
        LocalApic apic = vcpu >= 0 && vcpu < byVcpu.length() ? byVcpu.get(vcpu) : null;
        if (apic == null) {
            orphanAccesses.increment();
        }
        return apic;
    }
}
