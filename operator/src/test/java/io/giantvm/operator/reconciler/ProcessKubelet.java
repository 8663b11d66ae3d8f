package io.giantvm.operator.reconciler;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.giantvm.operator.resources.EngineLayout;
import io.giantvm.operator.resources.Labels;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A kubelet whose containers are real processes: for every pod of the namespace it binds the pod to
 * machine {@code i} (its ordinal; one per node, as the anti-affinity asks), writes the pod's ConfigMap
 * volumes to disk, and runs the pod's container command with the pod's env inside that machine's network
 * namespace — so {@code giantvm node ... --stay-up} runs as in a pod, with the real ports at the pod's own
 * address. Peer host names resolve through a hosts file ({@code -Djdk.net.hosts.file}, in
 * JAVA_TOOL_OPTIONS). It reports the pod's status from what the process does: Running, Ready from the
 * engine's gRPC readiness health check (the probe the pod template declares), and when a process dies the
 * container's last state and restart count, after which it starts it again (restartPolicy Always).
 *
 * <p>One deviation from a real kubelet: volumes are not mounted at their mountPath (that would need the
 * path on this host); the container command's mountPath is replaced by the volume's directory.
 */
final class ProcessKubelet implements AutoCloseable {
    private final KubernetesClient client;
    private final String namespace;
    private final NetnsMachines machines;
    private final Path work;
    private final Map<String, String> env;
    private final Map<String, Engine> engines = new ConcurrentHashMap<>();
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "process-kubelet"));
    volatile Throwable lastError;

    /** One pod's container: the process running now, and how earlier ones ended. */
    static final class Engine {
        final String pod;
        final int machine;
        volatile Process process;
        volatile int restarts;
        volatile Integer lastExit;
        volatile boolean ready;

        Engine(String pod, int machine) {
            this.pod = pod;
            this.machine = machine;
        }
    }

    /**
     * @param giantvmDir a directory holding the {@code giantvm} command the pods call
     * @param hostsFile  where peer host names are resolved (written by the test)
     */
    ProcessKubelet(KubernetesClient client, String namespace, NetnsMachines machines, Path work, Path giantvmDir,
                   Path hostsFile) {
        this.client = client;
        this.namespace = namespace;
        this.machines = machines;
        this.work = work;
        this.env = Map.of("PATH", giantvmDir + ":" + System.getenv("PATH"),
                "JAVA_TOOL_OPTIONS", "-Djdk.net.hosts.file=" + hostsFile);
        loop.scheduleWithFixedDelay(this::tickSafely, 0, 200, TimeUnit.MILLISECONDS);
    }

    /** The engine of {@code pod}, while it exists. */
    Engine engine(String pod) {
        return engines.values().stream().filter(e -> e.pod.equals(pod)).findFirst().orElse(null);
    }

    /** Every engine process alive now, by pod name. */
    Map<String, Long> pids() {
        return engines.values().stream().filter(e -> e.process != null && e.process.isAlive())
                .collect(Collectors.toMap(e -> e.pod, e -> e.process.pid()));
    }

    private void tickSafely() {
        try {
            tick();
        } catch (KubernetesClientException | UncheckedIOException e) {
            lastError = e; // the operator races with us (pods deleted mid-tick): the next tick converges
        } catch (RuntimeException e) {
            lastError = e;
        }
    }

    private void tick() {
        List<Pod> pods = client.pods().inNamespace(namespace).list().getItems();
        Set<String> live = pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
        for (String uid : List.copyOf(engines.keySet())) {
            if (!live.contains(uid)) {
                stop(engines.remove(uid)); // the pod was deleted: the kubelet kills its containers
            }
        }
        for (Pod p : pods) {
            if (p.getMetadata().getDeletionTimestamp() == null) {
                run(p);
            }
        }
    }

    private void run(Pod pod) {
        int machine = Integer.parseInt(pod.getMetadata().getLabels().get(Labels.POD_INDEX));
        if (machine >= machines.count()) {
            return; // no such machine: the pod stays Pending, as an unschedulable one would
        }
        if (pod.getSpec().getNodeName() == null) {
            pod.getSpec().setNodeName("node-" + machine);
            client.resource(pod).update();
            return;
        }
        Engine e = engines.computeIfAbsent(pod.getMetadata().getUid(), u -> new Engine(pod.getMetadata().getName(), machine));
        if (e.process == null) {
            e.process = start(pod, machine, 0);
        } else if (!e.process.isAlive()) {
            e.lastExit = e.process.exitValue();
            e.restarts++;
            e.ready = false;
            e.process = start(pod, machine, e.restarts);
        } else {
            e.ready = ready(machine);
        }
        PodStatus desired = status(e, machine);
        if (!sameStatus(pod.getStatus(), desired)) {
            pod.setStatus(desired);
            client.resource(pod).updateStatus();
        }
    }

    private Process start(Pod pod, int machine, int attempt) {
        Container c = pod.getSpec().getContainers().getFirst();
        Path dir = work.resolve(pod.getMetadata().getName() + "-" + pod.getMetadata().getUid());
        List<String> command = new ArrayList<>(c.getCommand());
        if (c.getArgs() != null) {
            command.addAll(c.getArgs());
        }
        try {
            for (VolumeMount m : c.getVolumeMounts()) {
                Path volume = writeVolume(pod, m.getName(), dir.resolve("volumes").resolve(m.getName()));
                command.replaceAll(arg -> arg.replace(m.getMountPath(), volume.toString()));
            }
            ProcessBuilder pb = new ProcessBuilder(machines.inside(machine, command));
            pb.environment().putAll(env);
            pb.environment().put("HOSTNAME", pod.getMetadata().getName());
            for (EnvVar v : c.getEnv()) {
                pb.environment().put(v.getName(), value(pod, v));
            }
            Path log = dir.resolve("engine-" + attempt + ".log");
            Files.createDirectories(dir);
            return pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot start " + pod.getMetadata().getName() + ": " + ex.getMessage(), ex);
        }
    }

    private Path writeVolume(Pod pod, String name, Path to) throws IOException {
        Volume v = pod.getSpec().getVolumes().stream().filter(x -> x.getName().equals(name)).findFirst().orElseThrow();
        Files.createDirectories(to);
        if (v.getConfigMap() != null) {
            ConfigMap cm = client.configMaps().inNamespace(namespace).withName(v.getConfigMap().getName()).get();
            for (Map.Entry<String, String> d : cm.getData().entrySet()) {
                Files.writeString(to.resolve(d.getKey()), d.getValue());
            }
        }
        return to;
    }

    /** Plain values and the downward API's metadata.labels['...'] (what the pod template uses). */
    private static String value(Pod pod, EnvVar v) {
        if (v.getValue() != null) {
            return v.getValue();
        }
        String path = v.getValueFrom().getFieldRef().getFieldPath();
        if (path.startsWith("metadata.labels['") && path.endsWith("']")) {
            String label = path.substring("metadata.labels['".length(), path.length() - 2);
            return Objects.requireNonNullElse(pod.getMetadata().getLabels().get(label), "");
        }
        throw new IllegalArgumentException("the process kubelet does not resolve " + path);
    }

    private boolean ready(int machine) {
        String target = NetnsMachines.address(machine) + ":" + EngineLayout.CONTROL_PORT;
        ManagedChannel ch = channels.computeIfAbsent(target, t -> NettyChannelBuilder.forTarget(t).usePlaintext().build());
        try {
            return HealthGrpc.newBlockingStub(ch).withDeadlineAfter(1, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.newBuilder().setService(EngineLayout.READINESS_SERVICE).build())
                    .getStatus() == ServingStatus.SERVING;
        } catch (StatusRuntimeException e) {
            return false; // not listening yet, or gone
        }
    }

    private static PodStatus status(Engine e, int machine) {
        ContainerStatusBuilder c = new ContainerStatusBuilder().withName(EngineLayout.CONTAINER_NAME).withReady(e.ready)
                .withRestartCount(e.restarts).withNewState().withNewRunning().endRunning().endState();
        if (e.lastExit != null) {
            c.withNewLastState().withNewTerminated().withExitCode(e.lastExit)
                    .withReason(e.lastExit == 0 ? "Completed" : "Error").endTerminated().endLastState();
        }
        return new PodStatusBuilder().withPhase("Running").withPodIP(NetnsMachines.address(machine))
                .addNewCondition().withType("PodScheduled").withStatus("True").endCondition()
                .addNewCondition().withType("Ready").withStatus(e.ready ? "True" : "False").endCondition()
                .withContainerStatuses(c.build())
                .build();
    }

    private static boolean sameStatus(PodStatus a, PodStatus b) {
        return a != null && Objects.equals(a.getConditions(), b.getConditions())
                && Objects.equals(a.getContainerStatuses(), b.getContainerStatuses())
                && Objects.equals(a.getPodIP(), b.getPodIP());
    }

    /** Like SIGKILL of the engine on its machine (the test's "a node dies"). */
    void kill(String pod) {
        Engine e = engine(pod);
        if (e != null && e.process != null) {
            e.process.destroyForcibly();
        }
    }

    private static void stop(Engine e) {
        if (e != null && e.process != null) {
            e.process.destroyForcibly();
            try {
                e.process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        loop.shutdownNow();
        loop.awaitTermination(10, TimeUnit.SECONDS);
        engines.values().forEach(ProcessKubelet::stop);
        engines.clear();
        channels.values().forEach(ManagedChannel::shutdownNow);
    }
}
