package io.giantvm.operator.resources;

import io.giantvm.operator.crd.GiantVM;
import io.giantvm.operator.crd.GiantVMSpec;
import io.giantvm.operator.crd.GuestKind;
import io.giantvm.operator.crd.GuestSpec;
import io.giantvm.operator.crd.SysbenchTest;
import io.giantvm.operator.crd.Workload;
import io.giantvm.operator.crd.WorkloadName;
import io.giantvm.operator.reconciler.Problem;
import io.giantvm.operator.reconciler.SpecValidator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * spec.guest as the operator checks it: the CRD's CEL rules again, with the same messages, for API servers
 * that do not enforce them (the CEL itself runs in KubeApiServerIT where a kube-apiserver is available).
 */
class GuestValidationTest {

    @Test
    void theLinuxGuestsPass() {
        assertThat(SpecValidator.check(GuestResourcesTest.linuxVm())).isEmpty();
        assertThat(SpecValidator.check(GuestResourcesTest.kernelVm("guest-images"))).isEmpty();
    }

    @Test
    void aKernelGuestNeedsItsFiles() {
        assertRejected(kernel(g -> g.kernel = null), GuestSpec.KERNEL_NEEDS_PATH);
        assertRejected(kernel(g -> g.volume = null), GuestSpec.KERNEL_NEEDS_VOLUME);
    }

    @Test
    void filesAndLinuxOptionsBelongToTheirKinds() {
        assertRejected(linux(g -> g.volume = "guest-images"), GuestSpec.FILES_ONLY_FOR_KERNEL);
        assertRejected(linux(g -> g.kernel = "boot/vmlinuz"), GuestSpec.FILES_ONLY_FOR_KERNEL);
        assertRejected(testGuest(g -> g.sysbench = List.of(SysbenchTest.CPU)), GuestSpec.BUNDLED_LINUX_ONLY);
        assertRejected(testGuest(g -> g.time = 5), GuestSpec.BUNDLED_LINUX_ONLY);
        assertRejected(testGuest(g -> g.append = "quiet"), GuestSpec.LINUX_ONLY);
        // A user's initrd has no /init of ours to read sysbench orders: they go in append.
        assertRejected(kernel(g -> g.sysbench = List.of(SysbenchTest.CPU)), GuestSpec.BUNDLED_LINUX_ONLY);
        assertRejected(kernel(g -> g.time = 5), GuestSpec.BUNDLED_LINUX_ONLY);
        assertThat(SpecValidator.check(kernel(g -> g.append = "init=/bin/sh"))).isEmpty();
        GiantVM both = GuestResourcesTest.linuxVm();
        both.getSpec().workload = new Workload();
        both.getSpec().workload.name = WorkloadName.MUTEX;
        assertRejected(both, GiantVMSpec.WORKLOAD_ONLY_FOR_TEST_GUEST);
    }

    @Test
    void pathsStayInsideTheVolume() {
        for (String bad : List.of("/boot/vmlinuz", "../etc/shadow", "boot/../../x", "boot//vmlinuz", "boot/", ".")) {
            assertRejected(kernel(g -> g.kernel = bad), "guest.kernel '" + bad + "' must be a relative path inside guest.volume");
        }
        assertRejected(kernel(g -> g.initrd = "/initrd.img"), "guest.initrd '/initrd.img' must be a relative path");
        for (String ok : List.of("vmlinuz", "boot/vmlinuz-6.1.0", ".hidden/bzImage", "a/..b/c")) {
            assertThat(SpecValidator.check(kernel(g -> g.kernel = ok))).as(ok).isEmpty();
        }
        assertRejected(kernel(g -> g.volume = "Guest_Images"), "guest.volume 'Guest_Images' is not a PersistentVolumeClaim name");
    }

    @Test
    void testsAndTimeAreBounded() {
        assertRejected(linux(g -> g.sysbench = List.of(SysbenchTest.CPU, SysbenchTest.CPU)), GuestSpec.TESTS_ONCE);
        assertRejected(linux(g -> g.sysbench = List.of()), "guest.sysbench must name at least one");
        assertRejected(linux(g -> g.time = 0), "guest.time must be 1..3600 seconds, got 0");
        assertRejected(linux(g -> g.append = "x".repeat(GuestSpec.MAX_APPEND + 1)), "guest.append is 1025 characters");
    }

    @Test
    void numaNodesMustEachGetAPackageOfApicIdsAnXapicCanAddress() {
        GiantVM vm = GuestResourcesTest.linuxVm();
        vm.getSpec().nodes = 33;
        vm.getSpec().vcpusPerNode = 1;
        vm.getSpec().memory = "4Gi";
        assertRejected(vm, "spec.guest.numa on: 33 nodes x 1 vCPUs: as NUMA nodes each needs 8 APIC ids");
        vm.getSpec().guest.numa = false;
        assertThat(SpecValidator.check(vm)).isEmpty();
        vm.getSpec().nodes = 32;
        vm.getSpec().guest.numa = true;
        assertThat(SpecValidator.check(vm)).isEmpty();
    }

    private static void assertRejected(GiantVM vm, String message) {
        assertThat(SpecValidator.check(vm)).get().extracting(Problem::message).asString()
                .startsWith("spec.").contains(message);
    }

    private static GiantVM kernel(Consumer<GuestSpec> change) {
        GiantVM vm = GuestResourcesTest.kernelVm("guest-images");
        change.accept(vm.getSpec().guest);
        return vm;
    }

    private static GiantVM linux(Consumer<GuestSpec> change) {
        GiantVM vm = GuestResourcesTest.linuxVm();
        change.accept(vm.getSpec().guest);
        return vm;
    }

    private static GiantVM testGuest(Consumer<GuestSpec> change) {
        GiantVM vm = VmDescriptionWriterTest.vm(Map.of());
        vm.getSpec().guest = new GuestSpec();
        vm.getSpec().guest.kind = GuestKind.BUNDLED_TEST;
        change.accept(vm.getSpec().guest);
        return vm;
    }
}
