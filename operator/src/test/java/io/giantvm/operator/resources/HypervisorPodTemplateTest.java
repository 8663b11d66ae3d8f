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
                .contains("giantvm node --config /etc/giantvm/vm.yaml --id \"${POD_INDEX:-${HOSTNAME##*-}}\" --stay-up");
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

    @Test
    void thePodHashIgnoresOperatorSettingsAndMapOrder() {
        // Two KVM selector labels given in either order, and another default image: an operator restart,
        // failover or upgrade must not look like a spec change (that would restart every guest).
        OperatorSettings one = OperatorSettings.fromEnv(Map.of(
                "GIANTVM_KVM_NODE_SELECTOR", "a.example/x=1,b.example/y=2,c.example/z=3",
                "GIANTVM_ENGINE_IMAGE", "example/giantvm-node:1"));
        OperatorSettings other = OperatorSettings.fromEnv(Map.of(
                "GIANTVM_KVM_NODE_SELECTOR", "c.example/z=3,a.example/x=1,b.example/y=2",
                "GIANTVM_ENGINE_IMAGE", "example/giantvm-node:2",
                "GIANTVM_ENGINE_SERVICE_ACCOUNT", "hypervisors"));
        GiantVM vm = vm(Transport.TCP);
        vm.getSpec().nodeSelector = new java.util.LinkedHashMap<>(Map.of("k1", "v", "k2", "v", "k3", "v"));
        GiantVM reordered = vm(Transport.TCP);
        java.util.LinkedHashMap<String, String> backwards = new java.util.LinkedHashMap<>();
        backwards.put("k3", "v");
        backwards.put("k2", "v");
        backwards.put("k1", "v");
        reordered.getSpec().nodeSelector = backwards;
        String hash = HypervisorStatefulSetFactory.desired(vm, one, "d").podHash();
        assertThat(HypervisorStatefulSetFactory.desired(reordered, other, "d").podHash()).isEqualTo(hash);
        // The settings still reach the template (new pods get them at the VM's next restart).
        assertThat(engine(render(vm, other)).getImage()).isEqualTo("example/giantvm-node:2");
        assertThat(render(vm, other).getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("hypervisors");
        assertThat(render(vm, one).getSpec().getTemplate().getSpec().getServiceAccountName()).isNull();
        // What the VM itself decides does change it.
        GiantVM moved = vm(Transport.TCP);
        moved.getSpec().image = "mine/engine:3";
        assertThat(HypervisorStatefulSetFactory.desired(moved, one, "d").podHash()).isNotEqualTo(hash);
    }

    @Test
    void podSecurityBaselineAdmitsTheEngine() {
        Container c = engine(render(vm(Transport.TCP), SETTINGS));
        // baseline rejects Unconfined; RuntimeDefault (containerd) lets CAP_SYS_PTRACE holders use userfaultfd.
        assertThat(c.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    }

    @Test
    void probesTolerateASlowAnswerAndStartupHasItsOwnBudget() {
        Container c = engine(render(vm(Transport.TCP), SETTINGS));
        assertThat(c.getReadinessProbe().getFailureThreshold()).isGreaterThanOrEqualTo(3);
        assertThat(c.getReadinessProbe().getTimeoutSeconds()).isGreaterThan(1);
        assertThat(c.getStartupProbe().getGrpc().getPort()).isEqualTo(7200);
        assertThat(c.getStartupProbe().getFailureThreshold() * c.getStartupProbe().getPeriodSeconds())
                .isGreaterThanOrEqualTo(300);
    }

    @Test
    void requestsFollowTheGuestMemoryWhenTheUserGivesNone() {
        GiantVM vm = vm(Transport.TCP);
        vm.getSpec().resources = null;
        Container c = engine(render(vm, SETTINGS));
        // 768Mi of guest RAM (any node may end up holding all of it) + 384Mi engine overhead.
        assertThat(c.getResources().getRequests()).containsEntry("memory", new Quantity("1152Mi"))
                .containsEntry("cpu", new Quantity("2"));
        assertThat(c.getResources().getLimits()).containsEntry("memory", new Quantity("1152Mi"))
                .doesNotContainKey("cpu");
        // The user's own numbers win.
        Container mine = engine(render(vm(Transport.TCP), SETTINGS));
        assertThat(mine.getResources().getLimits()).containsEntry("memory", new Quantity("2Gi"));
        assertThat(mine.getResources().getRequests()).containsEntry("memory", new Quantity("2Gi"))
                .containsEntry("cpu", new Quantity("2"));
    }

    @Test
    void aDisruptionBudgetRefusesEveryVoluntaryEviction() {
        var pdb = DisruptionBudgetFactory.desired(vm(Transport.TCP));
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isZero();
        assertThat(pdb.getSpec().getSelector().getMatchLabels()).isEqualTo(Map.of(Labels.VM, "demo"));
        assertThat(pdb.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo("uid-1"));
    }

    @Test
    void onlyTheVmsOwnPodsReachItsMeshPort() {
        var np = MeshNetworkPolicyFactory.desired(vm(Transport.TCP));
        assertThat(np.getSpec().getPodSelector().getMatchLabels()).isEqualTo(Map.of(Labels.VM, "demo"));
        assertThat(np.getSpec().getPolicyTypes()).containsExactly("Ingress");
        var mesh = np.getSpec().getIngress().stream()
                .filter(r -> r.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == 7100)).toList();
        assertThat(mesh).singleElement().satisfies(r -> assertThat(r.getFrom()).singleElement()
                .satisfies(f -> assertThat(f.getPodSelector().getMatchLabels()).isEqualTo(Map.of(Labels.VM, "demo"))));
        var control = np.getSpec().getIngress().stream()
                .filter(r -> r.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == 7200)).toList();
        assertThat(control).singleElement().satisfies(r -> assertThat(r.getPorts()).hasSize(1));
    }

    @Test
    void theClusterDomainNamesEveryPeer() {
        String d = VmDescriptionWriter.write(vm(Transport.TCP), "corp.example");
        assertThat(d).contains("host: demo-0.demo-mesh.default.svc.corp.example")
                .doesNotContain("cluster.local");
        assertThat(OperatorSettings.fromEnv(Map.of("GIANTVM_CLUSTER_DOMAIN", "corp.example")).clusterDomain())
                .isEqualTo("corp.example");
        assertThat(OperatorSettings.defaults().clusterDomain()).isEqualTo("cluster.local");
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
