package io.giantvm.operator.resources;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.giantvm.operator.crd.GiantVM;
import io.giantvm.operator.crd.GuestKind;
import io.giantvm.operator.crd.GuestSpec;
import io.giantvm.operator.crd.SysbenchTest;
import io.giantvm.operator.crd.Transport;
import io.giantvm.operator.runtime.OperatorSettings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** spec.guest in what the operator renders: the VM description's guest section and the guest volume. */
class GuestResourcesTest {
    private static final String DESCRIPTION_HASH = "0123456789abcdef";

    @Test
    void aBundledLinuxGuestIsDescribedWithItsTestsAndTime() {
        GiantVM vm = linuxVm();
        assertThat(VmDescriptionWriter.write(vm)).isEqualTo("""
                # Written by the giantvm operator for GiantVM default/linux; every node loads this file.
                apiVersion: giantvm.io/v1alpha1
                kind: VmDescription
                name: linux
                vcpusPerNode: 1
                memory: 1Gi
                ioNode: 0
                transport: tcp
                guest:
                  kind: bundled-linux
                  sysbench:
                    - cpu
                    - memory
                    - mutex
                    - threads
                  time: 5
                nodes:
                  - id: 0
                    host: linux-0.linux-mesh.default.svc.cluster.local
                    meshPort: 7100
                    controlPort: 7200
                  - id: 1
                    host: linux-1.linux-mesh.default.svc.cluster.local
                    meshPort: 7100
                    controlPort: 7200
                """);
    }

    @Test
    void aUsersKernelIsNamedWhereThePodMountsItsVolume() {
        GiantVM vm = kernelVm("guest-images");
        vm.getSpec().guest.append = "quiet loglevel=\"3\"";
        String yaml = VmDescriptionWriter.write(vm);
        @SuppressWarnings("unchecked")
        Map<String, Object> guest = (Map<String, Object>) new KubernetesSerialization().unmarshal(yaml, Map.class).get("guest");
        assertThat(guest).containsEntry("kind", "kernel")
                .containsEntry("kernel", EngineLayout.GUEST_DIR + "/boot/vmlinuz-6.12")
                .containsEntry("initrd", EngineLayout.GUEST_DIR + "/boot/initrd.img")
                .containsEntry("append", "quiet loglevel=\"3\"")
                .doesNotContainKey("sysbench").doesNotContainKey("time");

        PodSpec pod = HypervisorStatefulSetFactory.desired(vm, OperatorSettings.defaults(), DESCRIPTION_HASH)
                .statefulSet().getSpec().getTemplate().getSpec();
        Volume files = pod.getVolumes().stream().filter(v -> v.getName().equals(EngineLayout.GUEST_VOLUME))
                .findFirst().orElseThrow();
        assertThat(files.getPersistentVolumeClaim().getClaimName()).isEqualTo("guest-images");
        assertThat(files.getPersistentVolumeClaim().getReadOnly()).isTrue();
        Container engine = pod.getContainers().getFirst();
        assertThat(engine.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getName()).isEqualTo(EngineLayout.GUEST_VOLUME);
            assertThat(m.getMountPath()).isEqualTo(EngineLayout.GUEST_DIR);
            assertThat(m.getReadOnly()).isTrue();
        });
        // The description is still mounted as before.
        assertThat(engine.getVolumeMounts()).extracting(m -> m.getName())
                .containsExactly(EngineLayout.CONFIG_VOLUME, EngineLayout.GUEST_VOLUME);
    }

    @Test
    void sysbenchTestsKeepTheUsersOrder() {
        GiantVM vm = linuxVm();
        vm.getSpec().guest.sysbench = List.of(SysbenchTest.THREADS, SysbenchTest.CPU);
        // The order the guest runs them.
        assertThat(VmDescriptionWriter.write(vm)).contains("  sysbench:\n    - threads\n    - cpu\n");
    }

    @Test
    void anotherClaimIsAnotherPodTemplate() {
        // Same description (same paths), other files: the pods must restart.
        assertThat(HypervisorStatefulSetFactory.podHash(kernelVm("images-a"), DESCRIPTION_HASH))
                .isNotEqualTo(HypervisorStatefulSetFactory.podHash(kernelVm("images-b"), DESCRIPTION_HASH));
    }

    @Test
    void namingTheTestGuestChangesNothing() {
        GiantVM plain = HypervisorPodTemplateTest.vm(Transport.TCP);
        GiantVM named = HypervisorPodTemplateTest.vm(Transport.TCP);
        named.getSpec().guest = new GuestSpec();
        named.getSpec().guest.kind = GuestKind.BUNDLED_TEST;
        assertThat(VmDescriptionWriter.write(named)).isEqualTo(VmDescriptionWriter.write(plain)).doesNotContain("guest");
        assertThat(HypervisorStatefulSetFactory.podHash(named, DESCRIPTION_HASH))
                .isEqualTo(HypervisorStatefulSetFactory.podHash(plain, DESCRIPTION_HASH));
        PodSpec pod = HypervisorStatefulSetFactory.desired(named, OperatorSettings.defaults(), DESCRIPTION_HASH)
                .statefulSet().getSpec().getTemplate().getSpec();
        assertThat(pod.getVolumes()).extracting(Volume::getName).containsExactly(EngineLayout.CONFIG_VOLUME);
    }

    /** The example manifest's guest: 2 nodes x 1 vCPU, bundled Linux, all four tests for 5 s. */
    static GiantVM linuxVm() {
        GiantVM vm = VmDescriptionWriterTest.vm(Map.of());
        vm.getMetadata().setName("linux");
        vm.getSpec().memory = "1Gi";
        vm.getSpec().workload = null;
        vm.getSpec().guest = new GuestSpec();
        vm.getSpec().guest.kind = GuestKind.BUNDLED_LINUX;
        vm.getSpec().guest.sysbench = List.of(SysbenchTest.CPU, SysbenchTest.MEMORY, SysbenchTest.MUTEX, SysbenchTest.THREADS);
        vm.getSpec().guest.time = 5;
        return vm;
    }

    static GiantVM kernelVm(String claim) {
        GiantVM vm = linuxVm();
        vm.getSpec().guest = new GuestSpec();
        vm.getSpec().guest.kind = GuestKind.KERNEL;
        vm.getSpec().guest.kernel = "boot/vmlinuz-6.12";
        vm.getSpec().guest.initrd = "boot/initrd.img";
        vm.getSpec().guest.volume = claim;
        return vm;
    }
}
