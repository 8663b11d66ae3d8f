package io.giantvm.engine.cpu;

import io.giantvm.engine.kvm.CpuidEntry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CpuidPolicyTest {
    @Test
    void kvmParavirtFeaturesAreCutToKvmclockAndNoIoDelay() {
        int all = 0x01FF_FFFF; // every KVM_FEATURE_* bit KVM may offer, PV_SEND_IPI (11) and PV_EOI (6) among them
        List<CpuidEntry> out = CpuidPolicy.forVcpu(List.of(
                new CpuidEntry(0x4000_0000, 0, 0, 0x4000_0001, 0x4b4d564b, 0x564b4d56, 0x4d),
                new CpuidEntry(0x4000_0001, 0, 0, all, 0, 0, 1)), 1, ApicIdMap.flat(2));
        assertThat(out.get(0).eax()).as("signature leaf untouched").isEqualTo(0x4000_0001);
        CpuidEntry features = out.get(1);
        assertThat(features.eax()).isEqualTo(1 | 1 << 1 | 1 << 3 | 1 << 24);
        assertThat(features.eax() & (1 << 11)).as("PV_SEND_IPI").isZero();
        assertThat(features.edx()).as("no realtime hint").isZero();
    }

    @Test
    void x2apicAndTscDeadlineStayHiddenAndTheApicIdIsFilledIn() {
        CpuidEntry leaf1 = CpuidPolicy.forVcpu(List.of(new CpuidEntry(1, 0, 0, 0, 0, (1 << 21) | (1 << 24), 0)), 3, ApicIdMap.flat(4)).getFirst();
        assertThat(leaf1.ecx() & ((1 << 21) | (1 << 24))).isZero();
        assertThat(leaf1.ebx() >>> 24).isEqualTo(3);
        assertThat(leaf1.edx() & (1 << 9)).as("APIC").isNotZero();
    }
}
