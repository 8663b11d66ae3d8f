package io.giantvm.operator.resources;

import io.giantvm.operator.crd.GiantVM;
import io.giantvm.operator.crd.GiantVMSpec;
import io.giantvm.operator.crd.Workload;
import io.giantvm.operator.crd.WorkloadName;
import io.giantvm.operator.crd.MemorySize;
import io.giantvm.operator.crd.Transport;
import io.giantvm.operator.reconciler.Problem;
import io.giantvm.operator.reconciler.SpecValidator;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Memory sizes, the home-range split the engine also derives, and the checks the schema cannot make. */
class MemoryAndValidationTest {
    private static final long MI = 1024L * 1024;

    @Test
    void sizesParseLikeTheEngine() {
        assertThat(MemorySize.parseBytes("256Mi")).isEqualTo(256 * MI);
        assertThat(MemorySize.parseBytes("2Gi")).isEqualTo(2048 * MI);
        assertThat(MemorySize.parseBytes("1k")).isEqualTo(1000);
        assertThat(MemorySize.parseBytes("1K")).isEqualTo(1000);
        assertThat(MemorySize.parseBytes("4096")).isEqualTo(4096);
        assertThat(MemorySize.format(512 * MI)).isEqualTo("512Mi");
        assertThat(MemorySize.format(3 * 1024 * MI)).isEqualTo("3Gi");
        assertThat(MemorySize.format(1000)).isEqualTo("1000");
        assertThatThrownBy(() -> MemorySize.parseBytes("1.5Gi")).hasMessageContaining("'1.5Gi' is not a whole number");
        assertThatThrownBy(() -> MemorySize.parseBytes("0")).hasMessageContaining("'0'");
        assertThatThrownBy(() -> MemorySize.parseBytes("9999999999999999Ti")).hasMessageContaining("too large");
    }

    @Test
    void homeRangesAreTwoMebibyteMultiplesWithTheRemainderOnTheLastNode() {
        var ranges = HomeRanges.split(7 * MI, 3);
        assertThat(ranges).containsExactly(new HomeRanges.Range(0, 2 * MI), new HomeRanges.Range(2 * MI, 4 * MI),
                new HomeRanges.Range(4 * MI, 7 * MI));
        assertThat(HomeRanges.split(64 * MI, 1)).containsExactly(new HomeRanges.Range(0, 64 * MI));
        assertThatThrownBy(() -> HomeRanges.split(5 * MI, 3)).hasMessageContaining("less than 2Mi")
                .hasMessageContaining("at least 6Mi");
    }

    @Test
    void validSpecPasses() {
        assertThat(SpecValidator.check(HypervisorPodTemplateTest.vm(Transport.TCP))).isEmpty();
    }

    @Test
    void namesThatCannotBeHostNamesAreRejected() {
        GiantVM dotted = HypervisorPodTemplateTest.vm(Transport.TCP);
        dotted.getMetadata().setName("my.vm");
        assertThat(reason(SpecValidator.check(dotted))).contains("start with a letter");
        GiantVM digit = HypervisorPodTemplateTest.vm(Transport.TCP);
        digit.getMetadata().setName("1vm"); // a valid DNS-1123 label, but the mesh Service's name must be DNS-1035
        assertThat(reason(SpecValidator.check(digit))).contains("start with a letter");
        GiantVM longName = HypervisorPodTemplateTest.vm(Transport.TCP);
        longName.getMetadata().setName("a".repeat(53));
        assertThat(reason(SpecValidator.check(longName))).contains("at most 52");
    }

    @Test
    void whatTheSchemaShouldHaveCaughtIsStillAConditionNotACrash() {
        GiantVM vm = HypervisorPodTemplateTest.vm(Transport.TCP);
        vm.getSpec().nodes = 65;
        assertThat(reason(SpecValidator.check(vm))).contains("spec.nodes must be 1..64");
        vm = HypervisorPodTemplateTest.vm(Transport.TCP);
        vm.getSpec().memory = "lots";
        assertThat(reason(SpecValidator.check(vm))).contains("spec.memory 'lots'");
        vm = HypervisorPodTemplateTest.vm(Transport.TCP);
        vm.getSpec().nodeSelector = Map.of("kubernetes.io/hostname", "one");
        assertThat(reason(SpecValidator.check(vm))).contains("needs its own machine");
    }

    @Test
    void moreVcpusThanTheGuestRunsAreRejected() {
        GiantVM vm = HypervisorPodTemplateTest.vm(Transport.TCP);
        vm.getSpec().nodes = 5;
        vm.getSpec().vcpusPerNode = 13;
        assertThat(reason(SpecValidator.check(vm))).contains("65 vCPUs").contains("at most 64");
        assertThat(GiantVMSpec.MAX_VCPUS).isEqualTo(io.giantvm.engine.guest.GuestAbi.MAX_VCPUS);
    }

    @Test
    void workloadOptionsAreCheckedByTheEnginesOwnRules() {
        GiantVM vm = HypervisorPodTemplateTest.vm(Transport.TCP);
        vm.getSpec().workload = new Workload();
        vm.getSpec().workload.name = WorkloadName.MUTEX;
        vm.getSpec().workload.options = Map.of("block-size", "64K");
        assertThat(reason(SpecValidator.check(vm))).contains("spec.workload").contains("--block-size")
                .contains("does not apply to workload mutex");
        vm.getSpec().workload.options = Map.of("iterations", "many");
        assertThat(reason(SpecValidator.check(vm))).contains("spec.workload").contains("iterations");
        vm.getSpec().workload.options = Map.of("iterations", "1000", "locks", "2");
        assertThat(SpecValidator.check(vm)).isEmpty();
    }

    @Test
    void memoryTooSmallForTheWorkloadIsRejected() {
        GiantVM vm = HypervisorPodTemplateTest.vm(Transport.TCP);
        vm.getSpec().nodes = 2;
        vm.getSpec().memory = "8Mi"; // splits into 2Mi homes, but the guest needs 32Mi at least
        assertThat(reason(SpecValidator.check(vm))).contains("too small for workload mutex");
    }

    private static String reason(Optional<Problem> p) {
        assertThat(p).isPresent();
        assertThat(p.get().reason()).isEqualTo(SpecValidator.INVALID_SPEC);
        return p.get().message();
    }
}
