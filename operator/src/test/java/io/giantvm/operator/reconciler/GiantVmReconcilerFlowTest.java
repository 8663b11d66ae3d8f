package io.giantvm.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.giantvm.control.v1.GuestState;
import io.giantvm.control.v1.LinuxReport;
import io.giantvm.control.v1.SysbenchResult;
import io.giantvm.operator.crd.GiantVM;
import io.giantvm.operator.crd.GiantVMStatus;
import io.giantvm.operator.crd.GuestKind;
import io.giantvm.operator.crd.GuestSpec;
import io.giantvm.operator.crd.Phase;
import io.giantvm.operator.crd.RunStrategy;
import io.giantvm.operator.crd.SysbenchTest;
import io.giantvm.operator.crd.Transport;
import io.giantvm.operator.crd.VmNodeStatus;
import io.giantvm.operator.engine.EngineStatusProbe;
import io.giantvm.operator.resources.EngineLayout;
import io.giantvm.operator.resources.Labels;
import io.giantvm.operator.resources.VmDescriptionWriter;
import io.giantvm.operator.runtime.OperatorRuntime;
import io.giantvm.operator.runtime.OperatorSettings;
import io.giantvm.operator.runtime.ReconcileMetrics;
import io.giantvm.operator.status.Conditions;
import io.giantvm.operator.status.Reasons;
import io.javaoperatorsdk.operator.Operator;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Full reconciliation flows against the fabric8 mock API server (CRUD mode; server-side apply off
 * because the mock rejects it), with a fake StatefulSet controller/kubelet/garbage collector and
 * real gRPC engines on loopback.
 */
@EnableKubernetesMockClient(crud = true)
class GiantVmReconcilerFlowTest {
    static KubernetesClient client;

    private Operator operator;
    private FakeKubeControllers cluster;
    private FakeEngines engines;
    private EngineStatusProbe probe;

    @BeforeAll
    static void cluster() throws Exception {
        MockCluster.installCrd(client);
        MockCluster.addKvmNodes(client, 3);
    }

    private void startOperator(int nodes, int vcpus) {
        engines = new FakeEngines(nodes, vcpus);
        cluster = new FakeKubeControllers(client, MockCluster.NAMESPACE);
        probe = engines.probe();
        // Look again every second: engine-only changes (guest state) raise no Kubernetes event.
        operator = OperatorRuntime.create(client, OperatorSettings.defaults().withRecheck(Duration.ofSeconds(1)), probe, new ReconcileMetrics(), false);
        operator.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (operator != null) {
            operator.stop();
        }
        // The mock server lives for the class: leave nothing for the next test's operator to reconcile.
        client.resources(GiantVM.class).inNamespace(MockCluster.NAMESPACE).delete();
        client.apps().statefulSets().inNamespace(MockCluster.NAMESPACE).delete();
        client.pods().inNamespace(MockCluster.NAMESPACE).delete();
        if (cluster != null) {
            cluster.close();
        }
        if (probe != null) {
            probe.close();
        }
        if (engines != null) {
            engines.close();
        }
    }

    @Test
    void createdVmRunsWithCorrectAggregates() {
        startOperator(3, 2);
        create(MockCluster.vm("alpha", 3, 2, "1Gi"));

        GiantVMStatus s = awaitStatus("alpha", st -> st.phase == Phase.RUNNING);
        assertThat(s.readyNodes).isEqualTo(3);
        assertThat(s.desiredNodes).isEqualTo(3);
        assertThat(s.nodesReady).isEqualTo("3/3");
        assertThat(s.vcpus).isEqualTo(6);
        assertThat(s.memory).isEqualTo("1Gi");
        assertThat(s.observedGeneration).isEqualTo(vm("alpha").getMetadata().getGeneration());
        assertThat(s.restart).isNull();
        assertCondition(s, Conditions.SCHEDULED, "True", Reasons.ALL_SCHEDULED);
        assertCondition(s, Conditions.MESH_CONNECTED, "True", Reasons.MESH_COMPLETE);
        assertCondition(s, Conditions.READY, "True", Reasons.RUNNING);
        assertCondition(s, Conditions.DEGRADED, "False", Reasons.AS_EXPECTED);

        assertThat(s.nodes).extracting(n -> n.index).containsExactly(0, 1, 2);
        assertThat(s.nodes).extracting(n -> n.node).containsExactly("node-0", "node-1", "node-2");
        assertThat(s.nodes).extracting(n -> n.guestState).containsOnly("RUNNING");
        // 1Gi over 3 nodes: 340Mi shares (multiples of 2Mi), the last node takes the remainder.
        long mi = 1024L * 1024;
        VmNodeStatus last = s.nodes.get(2);
        assertThat(s.nodes.get(0).homeMemoryStart).isZero();
        assertThat(s.nodes.get(0).homeMemoryEnd).isEqualTo(340 * mi);
        assertThat(s.nodes.get(1).homeMemoryStart).isEqualTo(340 * mi);
        assertThat(last.homeMemoryStart).isEqualTo(680 * mi);
        assertThat(last.homeMemoryEnd).isEqualTo(1024 * mi);

        ConfigMap cm = client.configMaps().inNamespace(MockCluster.NAMESPACE).withName("alpha-vm").get();
        assertThat(cm.getData().get(EngineLayout.CONFIG_FILE_NAME)).isEqualTo(VmDescriptionWriter.write(vm("alpha")))
                .contains("host: alpha-2.alpha-mesh.vms.svc.cluster.local");
        Service svc = client.services().inNamespace(MockCluster.NAMESPACE).withName("alpha-mesh").get();
        assertThat(svc.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(svc.getSpec().getPublishNotReadyAddresses()).isTrue();
        StatefulSet sts = client.apps().statefulSets().inNamespace(MockCluster.NAMESPACE).withName("alpha").get();
        assertThat(sts.getSpec().getReplicas()).isEqualTo(3);
        assertThat(sts.getSpec().getServiceName()).isEqualTo("alpha-mesh");
        assertThat(eventReasons("alpha")).contains("Running");
    }

    @Test
    void aDeadNodeDegradesTheVmNamingItAndRestartsTheWholeVm() {
        startOperator(2, 1);
        create(MockCluster.vm("bravo", 2, 1, "64Mi"));
        awaitStatus("bravo", st -> st.phase == Phase.RUNNING);
        List<String> before = podsOf("bravo").stream().map(p -> p.getMetadata().getUid()).toList();

        cluster.failPod("bravo-1");

        GiantVMStatus s = awaitStatus("bravo", st -> st.restarts != null && st.restarts >= 1);
        assertThat(s.lastRestartReason).contains("node 1 (pod bravo-1) died").contains("exited with code 1");
        assertThat(s.guestResult.succeeded).isFalse();
        assertThat(vmEvents("bravo")).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("Degraded");
            assertThat(e.getMessage()).contains("bravo-1");
        });
        assertThat(vmEvents("bravo")).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo(Reasons.RESTARTING);
            assertThat(e.getMessage()).contains("bravo-1").contains("restarting the whole VM");
        });

        cluster.healPod("bravo-1");
        GiantVMStatus again = awaitStatus("bravo", st -> st.phase == Phase.RUNNING);
        // Every node was replaced, not only the one that died: a guest cannot lose part of its memory.
        assertThat(podsOf("bravo")).extracting(p -> p.getMetadata().getUid()).doesNotContainAnyElementsOf(before);
        assertThat(again.restarts).isGreaterThanOrEqualTo(1);
        assertThat(again.lastRestartReason).contains("bravo-1");
    }

    @Test
    void onceKeepsTheGuestsResultAndRemovesThePods() {
        startOperator(2, 1);
        var vm = MockCluster.vm("lima", 2, 1, "64Mi");
        vm.getSpec().runStrategy = RunStrategy.ONCE;
        create(vm);
        awaitStatus("lima", st -> st.phase == Phase.RUNNING);

        // The other nodes report the exit status first; the result is the I/O node's to tell.
        engines.endGuest(true, "", true);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(vm("lima").getStatus().phase).isEqualTo(Phase.RUNNING));
        engines.endGuest(true, "mutex on 2 vCPUs: counter 40000, expected 40000");

        GiantVMStatus s = awaitStatus("lima", st -> st.phase == Phase.SUCCEEDED);
        assertThat(s.guestResult.succeeded).isTrue();
        assertThat(s.guestResult.exitStatus).isZero();
        assertThat(s.guestResult.detail).contains("counter 40000, expected 40000");
        assertThat(s.guestResult.node).isZero();
        assertCondition(s, Conditions.READY, "False", Reasons.SUCCEEDED);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(podsOf("lima")).isEmpty());
        assertThat(client.apps().statefulSets().inNamespace(MockCluster.NAMESPACE).withName("lima").get()).isNull();
        assertThat(vmEvents("lima")).anySatisfy(e -> assertThat(e.getMessage()).contains("Succeeded")
                .contains("counter 40000"));
        // It stays done: nothing starts again for this generation.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(podsOf("lima")).isEmpty();
            assertThat(vm("lima").getStatus().phase).isEqualTo(Phase.SUCCEEDED);
        });
    }

    @Test
    void aLinuxGuestsReportReachesTheStatus() {
        startOperator(2, 1);
        var vm = MockCluster.vm("linux", 2, 1, "1Gi");
        vm.getSpec().runStrategy = RunStrategy.ONCE;
        vm.getSpec().workload = null;
        vm.getSpec().guest = new GuestSpec();
        vm.getSpec().guest.kind = GuestKind.BUNDLED_LINUX;
        vm.getSpec().guest.sysbench = List.of(SysbenchTest.CPU, SysbenchTest.MUTEX);
        vm.getSpec().guest.time = 5;
        create(vm);
        awaitStatus("linux", st -> st.phase == Phase.RUNNING);
        assertThat(client.configMaps().inNamespace(MockCluster.NAMESPACE).withName("linux-vm").get().getData()
                .get("vm.yaml")).contains("guest:\n  kind: bundled-linux\n");

        engines.endLinuxGuest(true, "linux on 2 vCPUs: nproc 2, 2 sysbench tests, check: ok", LinuxReport.newBuilder()
                .setOs("Linux 6.1.0-28-cloud-amd64").setKernel("6.1.0-28-cloud-amd64").setNproc(2)
                .addSysbench(SysbenchResult.newBuilder().setTest("cpu").setEvents(2390).setEventsPerSecond(477.9)
                        .setLatencyAvgMs(4.18).setLatencyP95Ms(4.25))
                .addSysbench(SysbenchResult.newBuilder().setTest("mutex").setEvents(2).setEventsPerSecond(0.4)
                        .setLatencyAvgMs(3210.5).setLatencyP95Ms(Double.NaN))
                .build());

        GiantVMStatus s = awaitStatus("linux", st -> st.phase == Phase.SUCCEEDED);
        assertThat(s.guestResult.detail).contains("nproc 2");
        assertThat(s.guest).as("status.guest").isNotNull();
        assertThat(s.guest.os).isEqualTo("Linux 6.1.0-28-cloud-amd64");
        assertThat(s.guest.nproc).isEqualTo(2);
        assertThat(s.guest.sysbench).extracting(t -> t.test).containsExactly("cpu", "mutex");
        assertThat(s.guest.sysbench.getFirst().events).isEqualTo(2390);
        assertThat(s.guest.sysbench.getFirst().eventsPerSecond).isEqualTo(477.9);
        assertThat(s.guest.sysbench.getFirst().latencyAvgMs).isEqualTo(4.18);
        assertThat(s.guest.sysbench.getFirst().latencyP95Ms).isEqualTo(4.25);
        // A figure the guest did not print is absent, not NaN (which JSON cannot carry).
        assertThat(s.guest.sysbench.get(1).latencyP95Ms).isNull();
        // It stays with the result once the pods are gone.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(podsOf("linux")).isEmpty());
        assertThat(vm("linux").getStatus().guest).isEqualTo(s.guest);
    }

    @Test
    void theLastLinuxReportOutlivesAnAlwaysRestart() {
        startOperator(2, 1);
        var vm = MockCluster.vm("papa", 2, 1, "1Gi");
        vm.getSpec().workload = null;
        vm.getSpec().guest = new GuestSpec();
        vm.getSpec().guest.kind = GuestKind.BUNDLED_LINUX;
        create(vm);
        awaitStatus("papa", st -> st.phase == Phase.RUNNING);

        engines.endLinuxGuest(true, "linux on 2 vCPUs: check: ok",
                LinuxReport.newBuilder().setKernel("6.1.0-28-cloud-amd64").setNproc(2).build());

        GiantVMStatus s = awaitStatus("papa", st -> st.restarts != null && st.phase == Phase.RUNNING);
        assertThat(s.guest.os).isEqualTo("6.1.0-28-cloud-amd64");
        assertThat(s.guest.nproc).isEqualTo(2);
        assertThat(s.guest.sysbench).isEmpty();
    }

    @Test
    void onceWithAFailingGuestIsFailedWithItsResult() {
        startOperator(2, 1);
        var vm = MockCluster.vm("mike", 2, 1, "64Mi");
        vm.getSpec().runStrategy = RunStrategy.ONCE;
        create(vm);
        awaitStatus("mike", st -> st.phase == Phase.RUNNING);

        engines.endGuest(false, "mutex on 2 vCPUs: counter 39998, expected 40000");

        GiantVMStatus s = awaitStatus("mike", st -> st.phase == Phase.FAILED);
        assertThat(s.guestResult.succeeded).isFalse();
        assertThat(s.guestResult.detail).contains("counter 39998");
        assertCondition(s, Conditions.READY, "False", Reasons.GUEST_FAILED);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(podsOf("mike")).isEmpty());
    }

    @Test
    void alwaysRestartsTheWholeVmWhenTheGuestStopsAndCountsIt() {
        startOperator(2, 1);
        create(MockCluster.vm("november", 2, 1, "64Mi"));
        awaitStatus("november", st -> st.phase == Phase.RUNNING);
        List<String> before = podsOf("november").stream().map(p -> p.getMetadata().getUid()).toList();

        engines.endGuest(true, "mutex on 2 vCPUs: counter 40000, expected 40000");

        GiantVMStatus s = awaitStatus("november", st -> st.restarts != null && st.phase == Phase.RUNNING);
        assertThat(s.restarts).isEqualTo(1);
        assertThat(s.lastRestartReason).contains("the guest succeeded").contains("counter 40000");
        assertThat(s.guestResult.detail).contains("counter 40000");
        assertThat(podsOf("november")).extracting(p -> p.getMetadata().getUid()).doesNotContainAnyElementsOf(before);
        assertThat(eventReasons("november")).contains(Reasons.RESTARTING);
    }

    @Test
    void rerunOnFailureRestartsAFailureAndKeepsASuccess() {
        startOperator(2, 1);
        var vm = MockCluster.vm("oscar", 2, 1, "64Mi");
        vm.getSpec().runStrategy = RunStrategy.RERUN_ON_FAILURE;
        create(vm);
        awaitStatus("oscar", st -> st.phase == Phase.RUNNING);

        engines.endGuest(false, "guest crashed");
        GiantVMStatus rerun = awaitStatus("oscar", st -> st.restarts != null && st.phase == Phase.RUNNING);
        assertThat(rerun.restarts).isEqualTo(1);
        assertThat(rerun.lastRestartReason).contains("the guest failed: guest crashed");

        engines.endGuest(true, "done");
        GiantVMStatus done = awaitStatus("oscar", st -> st.phase == Phase.SUCCEEDED);
        assertThat(done.restarts).isEqualTo(1);
        assertThat(done.guestResult.detail).isEqualTo("done");
    }

    @Test
    void aGuestFailureReportedByTheEngineDegradesTheVm() {
        startOperator(2, 1);
        create(MockCluster.vm("golf", 2, 1, "64Mi"));
        awaitStatus("golf", st -> st.phase == Phase.RUNNING);

        engines.setGuestState(0, GuestState.GUEST_STATE_FAILED);

        GiantVMStatus s = awaitStatus("golf", st -> st.phase == Phase.DEGRADED);
        assertThat(condition(s, Conditions.DEGRADED).getReason()).isEqualTo(Reasons.GUEST_FAILED);
        assertThat(condition(s, Conditions.DEGRADED).getMessage()).contains("node 0").contains("fake engine 0");
    }

    @Test
    void changingNodesRestartsTheWholeVmAndSaysSo() {
        startOperator(2, 1);
        create(MockCluster.vm("charlie", 2, 1, "64Mi"));
        awaitStatus("charlie", st -> st.phase == Phase.RUNNING);
        List<String> oldUids = podsOf("charlie").stream().map(p -> p.getMetadata().getUid()).toList();

        cluster.holdReadiness(true);
        engines.resize(3);
        edit("charlie", vm -> vm.getSpec().nodes = 3);

        GiantVMStatus restarting = awaitStatus("charlie", st -> st.restart != null);
        assertThat(restarting.restart).contains("nodes 2 -> 3").contains("cannot grow");
        assertThat(condition(restarting, Conditions.READY).getReason()).isEqualTo(Reasons.RESTARTING);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<Pod> pods = podsOf("charlie");
            assertThat(pods).hasSize(3);
            assertThat(pods).extracting(p -> p.getMetadata().getUid()).doesNotContainAnyElementsOf(oldUids);
        });

        cluster.holdReadiness(false);
        GiantVMStatus s = awaitStatus("charlie", st -> st.phase == Phase.RUNNING && st.readyNodes == 3);
        assertThat(s.restart).isNull();
        assertThat(s.nodesReady).isEqualTo("3/3");
        assertThat(eventReasons("charlie")).contains(Reasons.RESTARTING);
    }

    @Test
    void aPodSecurityRejectionIsAConditionAndAnEventNotSchedulingForever() {
        startOperator(2, 1);
        String why = "pods \"kilo-0\" is forbidden: violates PodSecurity \"restricted:latest\": seccompProfile";
        cluster.rejectPodCreation(why);
        create(MockCluster.vm("kilo", 2, 1, "64Mi"));

        GiantVMStatus s = awaitStatus("kilo", st -> st.conditions.stream()
                .anyMatch(c -> c.getType().equals(Conditions.SCHEDULED) && Reasons.FAILED_CREATE.equals(c.getReason())));
        assertThat(condition(s, Conditions.SCHEDULED).getMessage()).contains("forbidden").contains("PodSecurity");
        assertThat(client.v1().events().inNamespace(MockCluster.NAMESPACE).list().getItems().stream()
                .filter(e -> "GiantVM".equals(e.getInvolvedObject().getKind()) && "kilo".equals(e.getInvolvedObject().getName()))
                .filter(e -> "Warning".equals(e.getType()) && Reasons.FAILED_CREATE.equals(e.getReason())))
                .singleElement().satisfies(e -> assertThat(e.getMessage()).contains("PodSecurity"));

        cluster.rejectPodCreation(null);
        awaitStatus("kilo", st -> st.phase == Phase.RUNNING);
    }

    @Test
    void haltedRemovesThePodsAndKeepsTheResource() {
        startOperator(2, 1);
        create(MockCluster.vm("delta", 2, 1, "64Mi"));
        awaitStatus("delta", st -> st.phase == Phase.RUNNING);

        edit("delta", vm -> vm.getSpec().runStrategy = RunStrategy.HALTED);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(podsOf("delta")).isEmpty();
            assertThat(client.apps().statefulSets().inNamespace(MockCluster.NAMESPACE).withName("delta").get()).isNull();
        });
        GiantVMStatus s = awaitStatus("delta", st -> st.phase == Phase.STOPPED && !st.conditions.stream()
                .anyMatch(c -> c.getMessage().contains("terminating")));
        assertCondition(s, Conditions.READY, "False", Reasons.HALTED);
        assertThat(s.readyNodes).isZero();
        assertThat(vm("delta")).isNotNull();

        edit("delta", vm -> vm.getSpec().runStrategy = RunStrategy.ALWAYS);
        awaitStatus("delta", st -> st.phase == Phase.RUNNING);
    }

    @Test
    void deletingTheVmRemovesEverythingItOwns() {
        startOperator(2, 1);
        create(MockCluster.vm("echo", 2, 1, "64Mi"));
        awaitStatus("echo", st -> st.phase == Phase.RUNNING);
        String uid = vm("echo").getMetadata().getUid();
        List<HasMetadata> owned = List.of(
                client.apps().statefulSets().inNamespace(MockCluster.NAMESPACE).withName("echo").get(),
                client.services().inNamespace(MockCluster.NAMESPACE).withName("echo-mesh").get(),
                client.configMaps().inNamespace(MockCluster.NAMESPACE).withName("echo-vm").get(),
                client.policy().v1().podDisruptionBudget().inNamespace(MockCluster.NAMESPACE).withName("echo-nodes").get(),
                client.network().v1().networkPolicies().inNamespace(MockCluster.NAMESPACE).withName("echo-mesh").get());
        // What makes Kubernetes' garbage collector remove them: a controller owner reference to the VM.
        assertThat(owned).allSatisfy(o -> assertThat(o.getMetadata().getOwnerReferences())
                .anySatisfy(r -> {
                    assertThat(r.getUid()).isEqualTo(uid);
                    assertThat(r.getController()).isTrue();
                    assertThat(r.getBlockOwnerDeletion()).isTrue();
                }));

        client.resources(GiantVM.class).inNamespace(MockCluster.NAMESPACE).withName("echo").delete();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(podsOf("echo")).isEmpty();
            assertThat(client.apps().statefulSets().inNamespace(MockCluster.NAMESPACE).withName("echo").get()).isNull();
            assertThat(client.services().inNamespace(MockCluster.NAMESPACE).withName("echo-mesh").get()).isNull();
            assertThat(client.configMaps().inNamespace(MockCluster.NAMESPACE).withName("echo-vm").get()).isNull();
        });
    }

    @Test
    void memoryThatDoesNotSplitIsAConditionAndNoPods() {
        startOperator(4, 1);
        create(MockCluster.vm("foxtrot", 4, 1, "6Mi"));

        GiantVMStatus s = awaitStatus("foxtrot", st -> st.phase == Phase.FAILED);
        Condition ready = condition(s, Conditions.READY);
        assertThat(ready.getReason()).isEqualTo(SpecValidator.INVALID_SPEC);
        assertThat(ready.getMessage()).contains("less than 2Mi").contains("at least 8Mi");
        assertThat(client.apps().statefulSets().inNamespace(MockCluster.NAMESPACE).withName("foxtrot").get()).isNull();
        assertThat(podsOf("foxtrot")).isEmpty();
        assertThat(eventReasons("foxtrot")).contains(SpecValidator.INVALID_SPEC);
    }

    @Test
    void rdmaWithoutRdmaNodesIsAConditionAndNoPods() {
        startOperator(2, 1);
        var vm = MockCluster.vm("hotel", 2, 1, "64Mi");
        vm.getSpec().transport = Transport.RDMA;
        create(vm);

        GiantVMStatus s = awaitStatus("hotel", st -> st.phase == Phase.PENDING);
        Condition scheduled = condition(s, Conditions.SCHEDULED);
        assertThat(scheduled.getStatus()).isEqualTo("False");
        assertThat(scheduled.getReason()).isEqualTo(NodeCapacityCheck.NO_RDMA_NODE);
        assertThat(scheduled.getMessage()).contains("no RDMA node").contains(OperatorSettings.DEFAULT_RDMA_RESOURCE);
        assertThat(client.apps().statefulSets().inNamespace(MockCluster.NAMESPACE).withName("hotel").get()).isNull();
        assertThat(podsOf("hotel")).isEmpty();
        assertThat(eventReasons("hotel")).contains(NodeCapacityCheck.NO_RDMA_NODE);
    }

    @Test
    void moreNodesThanCapableMachinesIsReportedBeforeAnyPodExists() {
        startOperator(4, 1);
        create(MockCluster.vm("india", 4, 1, "64Mi"));

        GiantVMStatus s = awaitStatus("india", st -> st.phase == Phase.PENDING);
        assertThat(condition(s, Conditions.SCHEDULED).getReason()).isEqualTo(NodeCapacityCheck.NOT_ENOUGH_NODES);
        assertThat(condition(s, Conditions.SCHEDULED).getMessage()).contains("only 3 capable node(s)");
        assertThat(podsOf("india")).isEmpty();
    }

    private void create(GiantVM vm) {
        client.resource(vm).create();
    }

    private GiantVM vm(String name) {
        return client.resources(GiantVM.class).inNamespace(MockCluster.NAMESPACE).withName(name).get();
    }

    /** Like kubectl edit: retried when the operator's status patch got in between (HTTP 409). */
    private void edit(String name, Consumer<GiantVM> change) {
        await().atMost(Duration.ofSeconds(10)).ignoreException(KubernetesClientException.class).until(() -> {
            client.resources(GiantVM.class).inNamespace(MockCluster.NAMESPACE).withName(name).edit(vm -> {
                change.accept(vm);
                return vm;
            });
            return true;
        });
    }

    private GiantVMStatus awaitStatus(String name, Predicate<GiantVMStatus> done) {
        try {
            return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        GiantVM vm = vm(name);
                        return vm == null ? null : vm.getStatus();
                    }, st -> st != null && done.test(st));
        } catch (ConditionTimeoutException e) {
            StatefulSet sts = client.apps().statefulSets().inNamespace(MockCluster.NAMESPACE).withName(name).get();
            throw new AssertionError(e.getMessage() + "\n  statefulset: " + (sts == null ? "none"
                    : sts.getSpec().getReplicas() + " replicas, template " + sts.getSpec().getTemplate().getMetadata()
                    .getLabels().get(Labels.POD_HASH)) + "\n  pods: " + podsOf(name).stream()
                    .map(p -> p.getMetadata().getName() + "@" + p.getSpec().getNodeName() + " "
                            + p.getMetadata().getLabels().get(Labels.POD_HASH) + " " + p.getStatus())
                    .toList() + "\n  fake cluster's last error: " + cluster.lastError, e);
        }
    }

    private List<Pod> podsOf(String vm) {
        return client.pods().inNamespace(MockCluster.NAMESPACE).withLabel(Labels.VM, vm).list().getItems();
    }

    /** Events about the GiantVM itself (not its StatefulSet, which has the same name). */
    private List<Event> vmEvents(String vm) {
        return client.v1().events().inNamespace(MockCluster.NAMESPACE).list().getItems().stream()
                .filter(e -> "GiantVM".equals(e.getInvolvedObject().getKind()) && vm.equals(e.getInvolvedObject().getName()))
                .toList();
    }

    private List<String> eventReasons(String vm) {
        return client.v1().events().inNamespace(MockCluster.NAMESPACE).list().getItems().stream()
                .filter(e -> vm.equals(e.getInvolvedObject().getName()))
                .map(Event::getReason).toList();
    }

    private static Condition condition(GiantVMStatus s, String type) {
        return s.conditions.stream().filter(c -> c.getType().equals(type)).findFirst()
                .orElseThrow(() -> new AssertionError("no condition " + type + " in " + s.conditions));
    }

    private static void assertCondition(GiantVMStatus s, String type, String status, String reason) {
        Condition c = condition(s, type);
        assertThat(c.getStatus()).as(type + " status").isEqualTo(status);
        assertThat(c.getReason()).as(type + " reason").isEqualTo(reason);
        assertThat(c.getLastTransitionTime()).as(type + " lastTransitionTime").isNotBlank();
    }
}
