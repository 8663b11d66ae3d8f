package io.giantvm.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.giantvm.engine.guest.ExpectedChecksums;
import io.giantvm.engine.guest.WorkloadSpec;
import io.giantvm.engine.vm.KvmRequirement;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One VM over several real node processes on real KVM: {@code giantvm run --nodes N} end to end (loopback TCP
 * mesh, DSM over userfaultfd, forwarded I/O and IPIs). Results come from the launcher's JSON.
 */
class DistributedRunIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void needsKvm() throws Exception {
        KvmRequirement.assumeKvm();
        LoopbackUp.ensure();
    }

    /** Output of one {@code giantvm} invocation in this JVM (its node processes are real processes). */
    record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }

        long summary() throws Exception {
            JsonNode total = json().path("total");
            for (var e : total.properties()) {
                if (e.getKey().startsWith("final")) {
                    return Long.parseUnsignedLong(e.getValue().asText());
                }
            }
            throw new AssertionError("no final figure in " + total + "\nstderr:\n" + err);
        }

        long pageTransfers() throws Exception {
            long n = 0;
            for (JsonNode node : json().path("nodes")) {
                n += node.path("pageTransfers").asLong();
            }
            return n;
        }
    }

    private static Run giantvm(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8); PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = Main.run(List.of(args), o, e);
        }
        Run r = new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        System.out.println("giantvm " + String.join(" ", args) + " -> exit " + exit + "\n" + r.err() + r.out());
        return r;
    }

    @Test
    void mutexOnTwoNodesCountsExactly() throws Exception {
        Run r = giantvm("run", "--nodes", "2", "--vcpus-per-node", "1", "--memory", "64M", "--json",
                "--workload", "mutex", "--locks", "1", "--iterations", "20000");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.summary()).isEqualTo(40000);
        assertThat(r.json().path("nodes")).hasSize(2);
        assertThat(r.pageTransfers()).as("the lock and counter must have moved between the nodes").isPositive();
    }

    @Test
    void mutexOnThreeNodesCountsExactly() throws Exception {
        Run r = giantvm("run", "--nodes", "3", "--vcpus-per-node", "1", "--memory", "64M", "--json",
                "--workload", "mutex", "--locks", "1", "--iterations", "20000");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.summary()).isEqualTo(60000);
    }

    @Test
    void memoryChecksumOnTwoNodesEqualsTheSingleNodeOne() throws Exception {
        String[] workload = {"--memory", "64M", "--json", "--workload", "memory", "--block-size", "64K", "--total", "4M",
                "--mode", "write", "--scope", "global"};
        Run single = giantvm(concat(new String[] {"run", "--vcpus", "2"}, workload));
        Run split = giantvm(concat(new String[] {"run", "--nodes", "2", "--vcpus-per-node", "1"}, workload));
        assertThat(single.exit()).as(single.err()).isZero();
        assertThat(split.exit()).as(split.err()).isZero();
        assertThat(split.summary()).isEqualTo(single.summary())
                .isEqualTo(ExpectedChecksums.summary(WorkloadSpec.parse("memory", Map.of("block-size", "64K", "total", "4M",
                        "mode", "write", "scope", "global")), 2));
    }

    @Test
    void falseSharingMovesMorePagesPackedThanPadded() throws Exception {
        Run packed = giantvm("run", "--nodes", "2", "--vcpus-per-node", "1", "--memory", "64M", "--json",
                "--workload", "falseshare", "--iterations", "5000", "--layout", "packed");
        Run padded = giantvm("run", "--nodes", "2", "--vcpus-per-node", "1", "--memory", "64M", "--json",
                "--workload", "falseshare", "--iterations", "5000", "--layout", "padded");
        assertThat(packed.exit()).as(packed.err()).isZero();
        assertThat(padded.exit()).as(padded.err()).isZero();
        System.out.printf("falseshare page transfers: packed %d, padded %d%n", packed.pageTransfers(), padded.pageTransfers());
        assertThat(packed.pageTransfers()).isGreaterThan(padded.pageTransfers());
    }

    @Test
    void killingOneNodeStopsTheOthersNamingIt() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Main.run(List.of("run", "--nodes", "3",
                "--vcpus-per-node", "1", "--memory", "64M", "--workload", "mutex", "--locks", "1", "--iterations", "2000000000"), o, e));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
        while (!out.toString(StandardCharsets.UTF_8).contains("cpus up") && System.nanoTime() < deadline && !exit.isDone()) {
            Thread.sleep(200);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).as("the guest should be running; stderr:\n" + err).contains("cpus up");
        Thread.sleep(2000); // into the workload, with pages moving between all three nodes
        Optional<ProcessHandle> victim = nodeProcess(1);
        assertThat(victim).as("node 1's process").isPresent();
        List<ProcessHandle> before = ProcessHandle.current().children().toList();
        long killedAt = System.nanoTime();
        victim.get().destroyForcibly();

        int code = exit.get(30, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - killedAt);
        System.out.println("after kill: exit " + code + " in " + took.toMillis() + " ms\n" + err);
        assertThat(code).isEqualTo(Main.EXIT_FAILED);
        assertThat(took).isLessThan(Duration.ofSeconds(10));
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("node 1 was killed by signal 9").contains("node 1 is down");
        for (ProcessHandle p : before) {
            assertThat(p.isAlive()).as("node process " + p.pid() + " left running").isFalse();
        }
    }

    private static Optional<ProcessHandle> nodeProcess(int id) {
        List<ProcessHandle> found = new ArrayList<>();
        ProcessHandle.current().children().forEach(p -> {
            String[] args = p.info().arguments().orElse(new String[0]);
            List<String> a = List.of(args);
            int i = a.indexOf("--id");
            if (a.contains("node") && i >= 0 && i + 1 < a.size() && a.get(i + 1).equals(String.valueOf(id))) {
                found.add(p);
            }
        });
        return found.stream().findFirst();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
