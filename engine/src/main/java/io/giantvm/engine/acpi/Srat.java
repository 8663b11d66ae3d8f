package io.giantvm.engine.acpi;

import io.giantvm.engine.cpu.ApicIdMap;
import io.giantvm.engine.numa.NumaTopology;
import io.giantvm.engine.numa.ProximityDomain;

import java.nio.ByteBuffer;

/**
 * The System Resource Affinity Table (ACPI 6.5 §5.2.16): which proximity domain each local APIC and each
 * guest-physical memory range belongs to. One Processor Local APIC Affinity entry per vCPU, one Memory Affinity
 * entry per engine node covering exactly its DSM home range. A vCPU's APIC id is {@link ApicIdMap}'s (the MADT's).
 */
final class Srat {
    static final int REVISION = 3;
    /** After the header: 4 bytes "reserved, must be 1" (for compatibility with the first SRAT revision) and 8 reserved. */
    static final int PREFIX_BYTES = 12;
    static final int LOCAL_APIC_AFFINITY = 0;
    static final int LOCAL_APIC_AFFINITY_BYTES = 16;
    static final int MEMORY_AFFINITY = 1;
    static final int MEMORY_AFFINITY_BYTES = 40;
    static final int ENABLED = 1;

    private Srat() {}

    static byte[] table(NumaTopology numa, ApicIdMap apicIds) {
        int bytes = SdtWriter.HEADER_BYTES + PREFIX_BYTES + numa.vcpus() * LOCAL_APIC_AFFINITY_BYTES
                + numa.domains().size() * MEMORY_AFFINITY_BYTES;
        SdtWriter w = new SdtWriter("SRAT", REVISION, bytes);
        ByteBuffer b = w.body();
        b.putInt(1).putLong(0);
        for (ProximityDomain d : numa.domains()) {
            for (int vcpu = d.firstVcpu(); vcpu < d.firstVcpu() + d.vcpus(); vcpu++) {
                int apic = apicIds.apicId(vcpu);
                b.put((byte) LOCAL_APIC_AFFINITY).put((byte) LOCAL_APIC_AFFINITY_BYTES)
                        .put((byte) d.domain()) // proximity domain bits 7:0
                        .put((byte) apic).putInt(ENABLED)
                        .put((byte) 0) // local SAPIC EID: none on x86
                        .put((byte) (d.domain() >>> 8)).put((byte) (d.domain() >>> 16)).put((byte) (d.domain() >>> 24))
                        .putInt(0); // clock domain: one TSC for the whole VM
            }
        }
        for (ProximityDomain d : numa.domains()) {
            b.put((byte) MEMORY_AFFINITY).put((byte) MEMORY_AFFINITY_BYTES).putInt(d.domain()).putShort((short) 0)
                    .putLong(d.memoryStart()).putLong(d.memoryBytes()).putInt(0)
                    .putInt(ENABLED) // not hot-pluggable, not non-volatile
                    .putLong(0);
        }
        return w.finish();
    }
}
