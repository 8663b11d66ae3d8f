package io.giantvm.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The launcher of {@code giantvm run --nodes N} with real child processes, on a host where nodes cannot boot. */
class DistributedLaunchTest {

    private record Result(int exit, String out, String err) {}

    private static Result giantvm(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8); PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = Main.run(List.of(args), o, e);
        }
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Set<Path> runDirs() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("giantvm-run-")).collect(Collectors.toSet());
        }
    }

    @Test
    void withoutKvmTheLauncherSaysSoOnceAndStartsNoNode() throws Exception {
        Assumptions.assumeFalse(Files.exists(Path.of("/dev/kvm")),
                "skipped: this host has /dev/kvm, so the nodes would boot (DistributedMutexIT covers that)");
        Set<Path> dirsBefore = runDirs();
        Result r = giantvm("run", "--nodes", "2", "--vcpus-per-node", "1", "--memory", "64M", "--workload", "mutex");

        assertThat(r.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err().lines().toList()).singleElement().asString().startsWith("giantvm: /dev/kvm does not exist");
        assertThat(r.out()).doesNotContain("node processes");
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList()).isEmpty();
        assertThat(runDirs()).isEqualTo(dirsBefore);
    }

    @Test
    void whenOneNodeDiesTheSurvivorsAreKilledAfterTheGraceAndTheDeadOneIsNamed() throws Exception {
        try (NodeProcesses nodes = new NodeProcesses()) {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            PrintStream p = new PrintStream(sink, true, StandardCharsets.UTF_8);
            nodes.start(0, List.of("sleep", "60"), p, p);
            nodes.start(1, List.of("sh", "-c", "echo node one here; sleep 0.3; kill -9 $$"), p, p);
            nodes.start(2, List.of("sleep", "60"), p, p);
            long start = System.nanoTime();

            NodeProcesses.Ending ending = nodes.awaitAll(Duration.ofSeconds(60), Duration.ofSeconds(1));

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(ending.firstDead()).isEqualTo(1);
            assertThat(NodeProcesses.describeExit(ending.exitCodes()[1])).isEqualTo("was killed by signal 9");
            assertThat(ending.killedAfterGrace()).isTrue();
            assertThat(ending.allOk()).isFalse();
            assertThat(nodes.nodes()).noneMatch(n -> n.process().isAlive());
            assertThat(sink.toString(StandardCharsets.UTF_8)).contains("node one here");
        }
    }

    @Test
    void nodesThatAllExitZeroEndCleanlyWithoutTheGrace() throws Exception {
        try (NodeProcesses nodes = new NodeProcesses()) {
            PrintStream p = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            nodes.start(0, List.of("true"), p, p);
            nodes.start(1, List.of("sh", "-c", "sleep 0.2"), p, p);
            NodeProcesses.Ending ending = nodes.awaitAll(Duration.ofSeconds(30), Duration.ofSeconds(1));
            assertThat(ending.allOk()).isTrue();
            assertThat(ending.firstDead()).isEqualTo(-1);
            assertThat(ending.killedAfterGrace()).isFalse();
        }
    }

    @Test
    void nodesKilledAtTheOverallLimitAreNotBlamedAsDead() throws Exception {
        try (NodeProcesses nodes = new NodeProcesses()) {
            PrintStream p = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            nodes.start(0, List.of("sleep", "60"), p, p);
            nodes.start(1, List.of("sleep", "60"), p, p);
            NodeProcesses.Ending ending = nodes.awaitAll(Duration.ofMillis(300), Duration.ofSeconds(1));
            assertThat(ending.timedOut()).isTrue();
            assertThat(ending.firstDead()).isEqualTo(-1);
            assertThat(nodes.nodes()).noneMatch(n -> n.process().isAlive());
        }
    }

    @Test
    void vcpusAndNodesTogetherAreRefused() {
        Result r = giantvm("run", "--nodes", "2", "--vcpus", "2");
        assertThat(r.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err()).isEqualTo("giantvm: --vcpus is for one node; with --nodes give --vcpus-per-node (total = nodes x vcpus-per-node)\n");
    }

    @Test
    void aNodeWithAMissingOrWrongConfigSaysWhatInOneLine() throws Exception {
        Result missing = giantvm("node", "--config", "/nonexistent/vm.yaml", "--id", "0");
        assertThat(missing.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(missing.err().lines().toList()).hasSize(1).first().asString().startsWith("giantvm: ").contains("/nonexistent/vm.yaml");

        Path dir = Files.createTempDirectory("giantvm-node-test");
        try {
            Path yaml = dir.resolve("vm.yaml");
            Files.writeString(yaml, io.giantvm.engine.config.VmDescriptionWriter.toYaml(io.giantvm.engine.config.VmDescriptionWriter.loopback(
                    "t", 2, 1, 64L << 20, java.util.Optional.empty())));
            Result badId = giantvm("node", "--config", yaml.toString(), "--id", "5");
            assertThat(badId.exit()).isEqualTo(Main.EXIT_USAGE);
            assertThat(badId.err()).isEqualTo("giantvm: --id must be between 0 and 1, got 5\n");
            Result noId = giantvm("node", "--config", yaml.toString());
            assertThat(noId.err()).isEqualTo("giantvm: node needs --config FILE and --id I\n");
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
