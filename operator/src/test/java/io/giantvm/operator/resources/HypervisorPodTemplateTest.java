package io.giantvm.operator.resources;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.giantvm.operator.crd.GiantVM;
import io.giantvm.operator.crd.GiantVMSpec;
import io.giantvm.operator.crd.Transport;
import io.giantvm.operator.runtime.OperatorSettings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The rendered hypervisor pod template: scheduling, devices, security and probes. */
class HypervisorPodTemplateTest {
    private static final OperatorSettings SETTINGS = OperatorSettings.fromEnv(Map.of(
            "GIANTVM_KVM_NODE_SELECTOR", "feature.node.kubernetes.io/cpu-cpuid.VMX=true",
            "GIANTVM_ENGINE_IMAGE", "example/giantvm-node:1"));

    @Test
    void oneHypervisorPerKvmMachine() {
        StatefulSet sts = render(vm(Transport.TCP), SETTINGS);
        PodSpec pod = sts.getSpec().getTemplate().getSpec();

        List<PodAffinityTerm> anti = pod.getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
        assertThat(anti).singleElement().satisfies(t -> {
            assertThat(t.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
            assertThat(t.getLabelSelector().getMatchLabels()).isEqualTo(Map.of(Labels.VM, "demo"));
        });
        assertThat(pod.getNodeSelector()).containsEntry("feature.node.kubernetes.io/cpu-cpuid.VMX", "true")
                .containsEntry("disktype", "ssd");
        assertThat(pod.getTolerations()).extracting(t -> t.getKey()).containsExactly("giantvm.io/dedicated");
        assertThat(sts.getSpec().getReplicas()).isEqualTo(3);
        assertThat(sts.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        assertThat(sts.getSpec().getUpdateStrategy().getType()).isEqualTo("OnDelete");
        assertThat(sts.getSpec().getServiceName()).isEqualTo("demo-mesh");
        assertThat(sts.getSpec().getSelector().getMatchLabels()).isEqualTo(Map.of(Labels.VM, "demo"));
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    }

    @Test
    void kvmComesFromTheDevicePluginAndTheContainerIsNotPrivileged() {
        Container c = engine(render(vm(Transport.TCP), SETTINGS));
        assertThat(c.getResources().getLimits()).containsEntry("devices.kubevirt.io/kvm", new Quantity("1"))
                .containsEntry("memory", new Quantity("2Gi"))
                .doesNotContainKey("rdma/hca_shared_devices_a");
        assertThat(c.getResources().getRequests()).containsEntry("devices.kubevirt.io/kvm", new Quantity("1"))
                .containsEntry("cpu", new Quantity("2"));
        assertThat(c.getSecurityContext().getPrivileged()).isFalse();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(c.getSecurityContext().getCapabilities().getAdd()).containsExactly("SYS_PTRACE");
    }

    @Test
    void rdmaAddsTheRdmaDeviceAndIpcLock() {
        Container c = engine(render(vm(Transport.RDMA), SETTINGS));
        assertThat(c.getResources().getLimits()).containsEntry("rdma/hca_shared_devices_a", new Quantity("1"))
                .containsEntry("devices.kubevirt.io/kvm", new Quantity("1"));
        assertThat(c.getSecurityContext().getCapabilities().getAdd()).containsExactlyInAnyOrder("SYS_PTRACE", "IPC_LOCK");
    }

    @Test
    void privilegedModeIsOnlyWhenConfiguredAndCanDropTheKvmResource() {
        OperatorSettings privileged = OperatorSettings.fromEnv(Map.of("GIANTVM_PRIVILEGED", "true",
                "GIANTVM_KVM_RESOURCE", ""));
        Container c = engine(render(vm(Transport.TCP), privileged));
        assertThat(c.getSecurityContext().getPrivileged()).isTrue();
        assertThat(c.getResources().getLimits()).doesNotContainKey("devices.kubevirt.io/kvm");
    }

    @Test
    void engineRunsWithItsOrdinalAndGrpcProbesOnTheControlPort() {
        Container c = engine(render(vm(Transport.TCP), SETTINGS));
        assertThat(c.getImage()).isEqualTo("example/giantvm-node:1");
        assertThat(String.join(" ", c.getCommand()))
                .contains("giantvm node --config /etc/giantvm/vm.yaml --id \"${POD_INDEX:-${HOSTNAME##*-}}\"");
        assertThat(c.getEnv()).singleElement().satisfies(e -> {
            assertThat(e.getName()).isEqualTo("POD_INDEX");
            assertThat(e.getValueFrom().getFieldRef().getFieldPath())
                    .isEqualTo("metadata.labels['apps.kubernetes.io/pod-index']");
        });
        assertThat(c.getReadinessProbe().getGrpc().getPort()).isEqualTo(7200);
        assertThat(c.getReadinessProbe().getGrpc().getService()).isEqualTo("giantvm.control.v1.Control");
        assertThat(c.getLivenessProbe().getGrpc().getPort()).isEqualTo(7200);
        assertThat(c.getLivenessProbe().getGrpc().getService()).isNull();
        assertThat(c.getPorts()).extracting(p -> p.getName() + ":" + p.getContainerPort())
                .containsExactly("mesh:7100", "control:7200");
        assertThat(c.getVolumeMounts()).singleElement().satisfies(m -> {
            assertThat(m.getMountPath()).isEqualTo("/etc/giantvm");
            assertThat(m.getReadOnly()).isTrue();
        });
    }

    @Test
    void theSpecImageWinsOverTheOperatorDefault() {
        GiantVM vm = vm(Transport.TCP);
        vm.getSpec().image = "mine/engine:2";
        assertThat(engine(render(vm, SETTINGS)).getImage()).isEqualTo("mine/engine:2");
    }

    @Test
    void anyChangeToTheDescriptionChangesThePodHash() {
        String a = HypervisorStatefulSetFactory.desired(vm(Transport.TCP), SETTINGS, "aaaa").podHash();
        String b = HypervisorStatefulSetFactory.desired(vm(Transport.TCP), SETTINGS, "bbbb").podHash();
        String a2 = HypervisorStatefulSetFactory.desired(vm(Transport.TCP), SETTINGS, "aaaa").podHash();
        assertThat(a).isNotEqualTo(b).isEqualTo(a2).hasSize(16);
    }

    private static StatefulSet render(GiantVM vm, OperatorSettings settings) {
        return HypervisorStatefulSetFactory.desired(vm, settings, "0123456789abcdef").statefulSet();
    }

    private static Container engine(StatefulSet sts) {
        return sts.getSpec().getTemplate().getSpec().getContainers().getFirst();
    }

    static GiantVM vm(Transport transport) {
        GiantVM vm = new GiantVM();
        vm.getMetadata().setName("demo");
        vm.getMetadata().setNamespace("default");
        vm.getMetadata().setUid("uid-1");
        GiantVMSpec spec = new GiantVMSpec();
        spec.nodes = 3;
        spec.vcpusPerNode = 2;
        spec.memory = "768Mi";
        spec.transport = transport;
        spec.nodeSelector = Map.of("disktype", "ssd");
        spec.tolerations = List.of(new TolerationBuilder().withKey("giantvm.io/dedicated").withOperator("Exists")
                .withEffect("NoSchedule").build());
        spec.resources = new ResourceRequirementsBuilder().addToRequests("cpu", new Quantity("2"))
                .addToLimits("memory", new Quantity("2Gi")).build();
        vm.setSpec(spec);
        return vm;
    }
}
