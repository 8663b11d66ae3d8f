package io.giantvm.operator.reconciler;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.giantvm.engine.kvm.HostKvmKind;
import io.giantvm.engine.kvm.Kvm;
import io.giantvm.engine.linux.DefaultGuestUnavailableException;
import io.giantvm.engine.linux.DefaultLinuxGuest;
import io.giantvm.engine.kvm.KvmUnavailableException;
import io.giantvm.operator.crd.GiantVM;
import io.giantvm.operator.crd.GiantVMStatus;
import io.giantvm.operator.crd.Phase;
import io.giantvm.operator.crd.RunStrategy;
import io.giantvm.operator.engine.GrpcEngineStatusProbe;
import io.giantvm.operator.resources.EngineLayout;
import io.giantvm.operator.resources.Labels;
import io.giantvm.operator.runtime.OperatorRuntime;
import io.giantvm.operator.runtime.OperatorSettings;
import io.giantvm.operator.runtime.ReconcileMetrics;
import io.giantvm.operator.status.Conditions;
import io.giantvm.operator.status.Reasons;
import io.javaoperatorsdk.operator.Operator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * The product path on this machine ({@code e2e-local}): the operator's real reconciler against the mock API
 * server, the StatefulSet controller double, and a process kubelet that runs each pod's container command as a
 * real {@code giantvm node} process on real KVM, one network namespace per Kubernetes node. The scenarios assert
 * what {@code kubectl get gvm} and {@code kubectl describe gvm} would show, and print the figures (time from
 * apply to Running, to the guest's result, to recovery after a kill). Ends with the line
 * {@code e2e-local: N passed, N failed}.
 *
 * <p>Skips, saying why, without a usable /dev/kvm (fails instead with GIANTVM_REQUIRE_KVM=1) or without the
 * right to create network namespaces (root and iproute2).
 */
@EnableKubernetesMockClient(crud = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalProductPathIT {
    static final String NAMESPACE = "default";
    /**
     * Enough guest time for Running to be seen before the result, also on a loaded machine: 4 vCPUs x this
     * many lock acquisitions take about 80 s here with the machine to themselves.
     */
    static final String SHORT_ITERATIONS = "600000000";
    /** A guest that runs for the length of a scenario (it is stopped by the scenario, not by itself). */
    static final String LONG_ITERATIONS = "100000000000";
    static final Duration START_LIMIT = Duration.ofMinutes(4);

    static KubernetesClient client;

    @RegisterExtension
    static final Tally TALLY = new Tally();

    private static NetnsMachines machines;
    private static FakeKubeControllers controllers;
    private static ProcessKubelet kubelet;
    private static GrpcEngineStatusProbe probe;
    private static Operator operator;
    private static String skipped;
    private static final List<String> figures = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void cluster() throws Exception {
        skipped = whyNot();
        if (skipped != null) {
            return;
        }
        Path root = MockCluster.repoRoot();
        Path work = Files.createTempDirectory("giantvm-e2e-local");
        Path bin = Files.createDirectories(work.resolve("bin"));
        // The image's /usr/local/bin/giantvm: here, the repository's launcher.
        Path shim = bin.resolve("giantvm");
        Files.writeString(shim, "#!/bin/sh\nexec " + root.resolve("giantvm") + " \"$@\"\n");
        shim.toFile().setExecutable(true);
        machines = NetnsMachines.create(3);
        Path hosts = work.resolve("hosts");
        StringBuilder h = new StringBuilder();
        for (String vm : List.of("demo", "ever", "kill", "linux")) {
            for (int i = 0; i < machines.count(); i++) {
                h.append(NetnsMachines.address(i)).append(' ')
                        .append(EngineLayout.hostName(vm, i, NAMESPACE, OperatorSettings.DEFAULT_CLUSTER_DOMAIN)).append('\n');
            }
        }
        Files.writeString(hosts, h.toString());
        MockCluster.installCrd(client);
        MockCluster.addKvmNodes(client, machines.count());
        controllers = new FakeKubeControllers(client, NAMESPACE, false);
        kubelet = new ProcessKubelet(client, NAMESPACE, machines, work, bin, hosts);
        probe = GrpcEngineStatusProbe.podIp();
        startOperator();
        System.out.println("e2e-local: work directory (engine logs) " + work);
    }

    private static String whyNot() throws InterruptedException {
        try (Kvm kvm = Kvm.open()) {
            // usable
        } catch (KvmUnavailableException e) {
            if ("1".equals(System.getenv("GIANTVM_REQUIRE_KVM"))) {
                fail("KVM is required (GIANTVM_REQUIRE_KVM=1) but unusable: " + e.getMessage());
            }
            return "needs a usable /dev/kvm (" + e.getMessage() + ")";
        }
        String netns = NetnsMachines.unavailableReason();
        if (netns != null && "1".equals(System.getenv("GIANTVM_REQUIRE_KVM"))) {
            fail("the local product path needs network namespaces: " + netns);
        }
        return netns;
    }

    private static void startOperator() {
        operator = OperatorRuntime.create(client, OperatorSettings.defaults().withRecheck(Duration.ofSeconds(1)),
                probe, new ReconcileMetrics(), false);
        operator.start();
    }

    @AfterAll
    static void tearDown() throws Exception {
        try {
            if (operator != null) {
                operator.stop();
            }
            if (kubelet != null) {
                kubelet.close();
            }
            if (controllers != null) {
                controllers.close();
            }
            if (probe != null) {
                probe.close();
            }
            if (machines != null) {
                machines.close();
            }
        } finally {
            figures.forEach(f -> System.out.println("e2e-local: " + f));
            System.out.println("e2e-local: " + TALLY.passed + " passed, " + TALLY.failed + " failed"
                    + (TALLY.skipped.get() > 0 ? ", " + TALLY.skipped + " skipped" : ""));
        }
    }

    /**
     * A scenario that failed must not leave its VM running into the next: every hypervisor of every VM binds
     * the same ports on its machine, as in a cluster with one VM per machine.
     */
    @org.junit.jupiter.api.AfterEach
    void removeOneShotVms() {
        if (skipped != null) {
            return;
        }
        for (String name : List.of("demo", "ever", "linux")) {
            if (vm(name) != null) {
                deleteAndAwaitGone(name);
            }
        }
    }

    @Test
    @Order(1)
    void onceRunsTheDemoToItsResult() {
        needsTheMachine();
        long t0 = System.nanoTime();
        Phases seen = Phases.watch("demo");
        apply(demo("demo", RunStrategy.ONCE, SHORT_ITERATIONS));

        GiantVMStatus running = awaitStatus("demo", s -> s.phase == Phase.RUNNING || s.phase == Phase.SUCCEEDED, START_LIMIT);
        GiantVMStatus done = awaitStatus("demo", s -> s.phase == Phase.SUCCEEDED || s.phase == Phase.FAILED, START_LIMIT);
        seen.stopOnceSeen(done.phase);
        figures.add("Once demo (2 nodes x 2 vCPUs): apply -> Running " + seen.secondsTo(Phase.RUNNING, t0)
                + " s, apply -> Succeeded (guest result) " + seen.secondsTo(Phase.SUCCEEDED, t0) + " s");
        assertThat(done.phase).as("%s", done).isEqualTo(Phase.SUCCEEDED);
        assertThat(seen.order()).as("phases seen").containsSubsequence(Phase.RUNNING, Phase.SUCCEEDED);
        assertThat(seen.order().indexOf(Phase.WIRING) >= 0 || seen.order().indexOf(Phase.SCHEDULING) >= 0)
                .as("Scheduling or Wiring before Running: %s", seen.order()).isTrue();
        assertThat(running).isNotNull();
        assertThat(done.guestResult.succeeded).isTrue();
        assertThat(done.guestResult.exitStatus).isZero();
        // 4 vCPUs x SHORT_ITERATIONS acquisitions of one lock, counted exactly by the guest.
        long counter = 4 * Long.parseLong(SHORT_ITERATIONS);
        assertThat(done.guestResult.detail).contains("counter " + counter + ", expected " + counter);
        assertThat(condition(done, Conditions.READY).getReason()).isEqualTo(Reasons.SUCCEEDED);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(podsOf("demo")).isEmpty();
            assertThat(kubelet.pids()).isEmpty();
        });
    }

    @Test
    @Order(2)
    void alwaysRestartsTheWholeVmWhenTheGuestEnds() {
        needsTheMachine();
        long t0 = System.nanoTime();
        apply(demo("ever", RunStrategy.ALWAYS, SHORT_ITERATIONS));
        GiantVMStatus restarted = awaitStatus("ever", s -> s.restarts != null && s.restarts >= 1, START_LIMIT);
        figures.add("Always: apply -> first whole-VM restart after the guest's end "
                + seconds(System.nanoTime() - t0) + " s");
        assertThat(restarted.restarts).isEqualTo(1);
        GiantVMStatus again = awaitStatus("ever", s -> s.phase == Phase.RUNNING, START_LIMIT);
        assertThat(again.restarts).isGreaterThanOrEqualTo(1);
        assertThat(restarted.lastRestartReason).contains("the guest succeeded").contains("counter");
        assertThat(restarted.guestResult.succeeded).isTrue();
        assertThat(vmEvents("ever")).extracting(Event::getReason).contains(Reasons.RESTARTING);
    }

    @Test
    @Order(3)
    void aKilledNodeRestartsTheWholeVm() {
        needsTheMachine();
        long t0 = System.nanoTime();
        apply(demo("kill", RunStrategy.ALWAYS, LONG_ITERATIONS));
        awaitStatus("kill", s -> s.phase == Phase.RUNNING, START_LIMIT);
        figures.add("Always (long guest): apply -> Running " + seconds(System.nanoTime() - t0) + " s");
        Map<String, Long> before = kubelet.pids();
        assertThat(before).containsOnlyKeys("kill-0", "kill-1");

        long killedAt = System.nanoTime();
        kubelet.kill("kill-1");

        GiantVMStatus restarting = awaitStatus("kill", s -> s.restarts != null && s.restarts >= 1, Duration.ofMinutes(2));
        assertThat(restarting.lastRestartReason).contains("kill-1").contains("died");
        // The Degraded event names what it saw first, and that is a race: the killed pod not ready ("1 of 2 nodes not
        // ready: kill-1"), node 0 already stopped after losing its peer ("... not ready: kill-0"), or node 0's health
        // report ("node 0: guest failed; not answering: node 1 (pod kill-1)"). It must name a pod; the restart
        // reason above is what must name the killed one.
        assertThat(vmEvents("kill")).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("Degraded");
            assertThat(e.getMessage()).containsPattern("kill-[01]");
        });
        GiantVMStatus back = awaitStatus("kill", s -> s.phase == Phase.RUNNING, START_LIMIT);
        figures.add("kill -9 of node 1 -> Running again (whole VM restarted) " + seconds(System.nanoTime() - killedAt) + " s");
        assertThat(back.restarts).isEqualTo(1);
        // Every node is a new process: the survivor was restarted with the VM, not left running.
        Map<String, Long> after = kubelet.pids();
        assertThat(after.get("kill-0")).isNotEqualTo(before.get("kill-0"));
        assertThat(after.get("kill-1")).isNotEqualTo(before.get("kill-1"));
    }

    @Test
    @Order(4)
    void anOperatorRestartRestartsNoGuest() throws Exception {
        needsTheMachine();
        awaitStatus("kill", s -> s.phase == Phase.RUNNING, START_LIMIT);
        Map<String, Long> before = kubelet.pids();
        Integer restarts = vm("kill").getStatus().restarts;
        List<String> uids = podsOf("kill").stream().map(p -> p.getMetadata().getUid()).toList();

        operator.stop();
        startOperator();

        await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(kubelet.pids()).isEqualTo(before);
            assertThat(podsOf("kill")).extracting(p -> p.getMetadata().getUid()).containsExactlyInAnyOrderElementsOf(uids);
            assertThat(vm("kill").getStatus().restarts).isEqualTo(restarts);
            assertThat(vm("kill").getStatus().phase).isEqualTo(Phase.RUNNING);
        });
    }

    @Test
    @Order(5)
    void changingNodesRestartsWithTheNewSize() {
        needsTheMachine();
        long t0 = System.nanoTime();
        edit("kill", vm -> vm.getSpec().nodes = 3);
        GiantVMStatus s = awaitStatus("kill", st -> st.phase == Phase.RUNNING && "3/3".equals(st.nodesReady), START_LIMIT);
        figures.add("spec.nodes 2 -> 3 -> Running with 3 nodes " + seconds(System.nanoTime() - t0) + " s");
        assertThat(s.vcpus).isEqualTo(6);
        assertThat(kubelet.pids()).containsOnlyKeys("kill-0", "kill-1", "kill-2");
        assertThat(vmEvents("kill")).anySatisfy(e -> assertThat(e.getMessage()).contains("nodes 2 -> 3"));
    }

    @Test
    @Order(6)
    void haltedRemovesThePodsAndKeepsTheResource() {
        needsTheMachine();
        edit("kill", vm -> vm.getSpec().runStrategy = RunStrategy.HALTED);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(podsOf("kill")).isEmpty();
            assertThat(kubelet.pids()).isEmpty();
        });
        GiantVMStatus s = awaitStatus("kill", st -> st.phase == Phase.STOPPED, Duration.ofSeconds(30));
        assertThat(condition(s, Conditions.READY).getReason()).isEqualTo(Reasons.HALTED);
        assertThat(vm("kill")).isNotNull();
    }

    @Test
    @Order(7)
    void deletingTheVmRemovesEverythingItOwns() {
        needsTheMachine();
        deleteAndAwaitGone("kill");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(client.apps().statefulSets().inNamespace(NAMESPACE).withName("kill").get()).isNull();
            assertThat(client.services().inNamespace(NAMESPACE).withName("kill-mesh").get()).isNull();
            assertThat(client.configMaps().inNamespace(NAMESPACE).withName("kill-vm").get()).isNull();
            assertThat(client.policy().v1().podDisruptionBudget().inNamespace(NAMESPACE).withName("kill-nodes").get()).isNull();
            assertThat(client.network().v1().networkPolicies().inNamespace(NAMESPACE).withName("kill-mesh").get()).isNull();
        });
    }

    /**
     * The Linux demo as users apply it (crds/examples/giantvm-linux.yaml: the node image's Linux on 2 nodes x 1
     * vCPU, all four sysbench tests for 5 s, Once): apply -> Running -> Succeeded with the guest's own report in
     * status.guest. Needs hardware KVM: skipped, saying so, on a PVM host and where the default Linux guest cannot
     * be built (no Debian archive and nothing cached).
     */
    @Test
    @Order(8)
    void theLinuxDemoReportsItsSysbenchResults() {
        needsTheMachine();
        needsLinux();
        long t0 = System.nanoTime();
        Phases seen = Phases.watch("linux");
        apply(example("giantvm-linux.yaml", "linux"));

        awaitStatus("linux", s -> s.phase == Phase.RUNNING || s.phase == Phase.SUCCEEDED, START_LIMIT);
        GiantVMStatus done = awaitStatus("linux", s -> s.phase == Phase.SUCCEEDED || s.phase == Phase.FAILED,
                LINUX_LIMIT);
        seen.stopOnceSeen(done.phase);
        figures.add("Linux demo (2 nodes x 1 vCPU, sysbench x4, 5 s each): apply -> Running "
                + seen.secondsTo(Phase.RUNNING, t0) + " s, apply -> Succeeded " + seen.secondsTo(Phase.SUCCEEDED, t0)
                + " s; guest " + done.guest);
        assertThat(done.phase).as("%s", done).isEqualTo(Phase.SUCCEEDED);
        assertThat(seen.order()).as("phases seen").containsSubsequence(Phase.RUNNING, Phase.SUCCEEDED);
        assertThat(done.guest).as("status.guest").isNotNull();
        assertThat(done.guest.os).isNotBlank();
        assertThat(done.guest.nproc).as("nproc: one Linux on both nodes' vCPUs").isEqualTo(2);
        assertThat(done.guest.sysbench).extracting(t -> t.test).containsExactly("cpu", "memory", "mutex", "threads");
        assertThat(done.guest.sysbench).allSatisfy(t -> assertThat(t.events).as(t.test + " events").isPositive());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(podsOf("linux")).isEmpty();
            assertThat(kubelet.pids()).isEmpty();
        });
    }

    // --- helpers -----------------------------------------------------------------------------------------

    /** Boot, 4 x 5 s of sysbench and power-off of a Linux whose memory crosses the mesh, on a loaded host. */
    static final Duration LINUX_LIMIT = Duration.ofMinutes(10);

    /** A stock Linux needs hardware KVM and the default guest's kernel and initramfs (built on first use). */
    private static void needsLinux() {
        if (HostKvmKind.detect() == HostKvmKind.PVM) {
            skipLinux("this host's KVM is PVM (/sys/module/kvm_pvm: guest kernel mode is emulated), where a stock"
                    + " Linux kernel cannot run; it needs hardware KVM");
        }
        try {
            DefaultLinuxGuest.ensureBuilt();
        } catch (DefaultGuestUnavailableException e) {
            skipLinux("the default Linux guest is not available: " + e.getMessage());
        }
    }

    /** Said in the closing lines too: an aborted test's message reaches only the report files. */
    private static void skipLinux(String why) {
        figures.add("Linux demo SKIPPED: " + why);
        abort("e2e-local Linux demo skipped: " + why);
    }

    private static void needsTheMachine() {
        if (skipped != null) {
            abort("e2e-local skipped: " + skipped);
        }
    }

    /** The demo manifest as users apply it, with the scenario's name, run strategy and guest length. */
    private static GiantVM demo(String name, RunStrategy strategy, String iterations) {
        GiantVM vm = example("giantvm-demo.yaml", name);
        vm.getSpec().runStrategy = strategy;
        vm.getSpec().workload.options = Map.of("locks", "1", "iterations", iterations);
        return vm;
    }

    /** A manifest of crds/examples as users apply it, under the scenario's name. */
    private static GiantVM example(String file, String name) {
        try (InputStream in = new FileInputStream(MockCluster.repoRoot().resolve("crds/examples").resolve(file).toFile())) {
            GiantVM vm = client.getKubernetesSerialization().unmarshal(in, GiantVM.class);
            vm.getMetadata().setName(name);
            vm.getMetadata().setNamespace(NAMESPACE);
            return vm;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void apply(GiantVM vm) {
        client.resource(vm).create();
    }

    private static GiantVM vm(String name) {
        return client.resources(GiantVM.class).inNamespace(NAMESPACE).withName(name).get();
    }

    private static void edit(String name, java.util.function.Consumer<GiantVM> change) {
        await().atMost(Duration.ofSeconds(10)).ignoreException(KubernetesClientException.class).until(() -> {
            client.resources(GiantVM.class).inNamespace(NAMESPACE).withName(name).edit(vm -> {
                change.accept(vm);
                return vm;
            });
            return true;
        });
    }

    private static void deleteAndAwaitGone(String name) {
        client.resources(GiantVM.class).inNamespace(NAMESPACE).withName(name).delete();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(podsOf(name)).isEmpty();
            assertThat(kubelet.pids()).isEmpty();
        });
    }

    private static GiantVMStatus awaitStatus(String name, Predicate<GiantVMStatus> done, Duration limit) {
        try {
            return await().atMost(limit).pollInterval(Duration.ofMillis(200))
                    .until(() -> Optional.ofNullable(vm(name)).map(GiantVM::getStatus).orElse(null),
                            s -> s != null && done.test(s));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n  pods: " + podsOf(name).stream()
                    .map(p -> p.getMetadata().getName() + " " + p.getStatus()).toList()
                    + "\n  engines: " + kubelet.pids() + "\n  kubelet's last error: " + kubelet.lastError
                    + "\n  events: " + vmEvents(name).stream().map(ev -> ev.getReason() + ": " + ev.getMessage()).toList(), e);
        }
    }

    private static List<Pod> podsOf(String vm) {
        return client.pods().inNamespace(NAMESPACE).withLabel(Labels.VM, vm).list().getItems();
    }

    private static List<Event> vmEvents(String vm) {
        return client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(e -> "GiantVM".equals(e.getInvolvedObject().getKind()) && vm.equals(e.getInvolvedObject().getName()))
                .toList();
    }

    private static io.fabric8.kubernetes.api.model.Condition condition(GiantVMStatus s, String type) {
        return s.conditions.stream().filter(c -> c.getType().equals(type)).findFirst()
                .orElseThrow(() -> new AssertionError("no condition " + type + " in " + s.conditions));
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e9);
    }

    /** Every phase the status passed through, in order, with when it was first seen (polled every 100 ms). */
    static final class Phases {
        private final List<Phase> order = new CopyOnWriteArrayList<>();
        private final List<Long> at = new CopyOnWriteArrayList<>();
        private volatile boolean stop;

        static Phases watch(String name) {
            Phases p = new Phases();
            Thread.ofPlatform().daemon().name("phases-" + name).start(() -> {
                while (!p.stop) {
                    GiantVM vm = vm(name);
                    Phase now = vm == null || vm.getStatus() == null ? null : vm.getStatus().phase;
                    if (now != null && (p.order.isEmpty() || p.order.getLast() != now)) {
                        p.order.add(now);
                        p.at.add(System.nanoTime());
                    }
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            return p;
        }

        void stop() {
            stop = true;
        }

        /** The watcher polls on its own clock: let it record the phase just awaited before the figures are taken. */
        void stopOnceSeen(Phase phase) {
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).until(() -> order.contains(phase));
            stop();
        }

        List<Phase> order() {
            return new ArrayList<>(order);
        }

        String secondsTo(Phase phase, long t0) {
            int i = order.indexOf(phase);
            return i < 0 ? "(not seen)" : seconds(at.get(i) - t0);
        }
    }

    /** Counts scenarios for the closing line. */
    static final class Tally implements TestWatcher {
        final AtomicInteger passed = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger skipped = new AtomicInteger();

        @Override
        public void testSuccessful(ExtensionContext context) {
            passed.incrementAndGet();
        }

        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            failed.incrementAndGet();
        }

        @Override
        public void testAborted(ExtensionContext context, Throwable cause) {
            skipped.incrementAndGet();
        }
    }
}
