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

/** Killing one node process of a running distributed VM stops the others within seconds, naming it. */
class NodeKillIT extends DistributedRunBase {
    @Test
    void killingOneNodeStopsTheOthersNamingIt() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Main.run(List.of("run", "--nodes", "2",
                "--vcpus-per-node", "1", "--memory", "64M", "--workload", "mutex", "--locks", "1", "--iterations", "2000000000"), o, e));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
        while (!out.toString(StandardCharsets.UTF_8).contains("cpus up") && System.nanoTime() < deadline && !exit.isDone()) {
            Thread.sleep(200);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).as("the guest should be running; stderr:\n" + err).contains("cpus up");
        Thread.sleep(2000); // into the workload, with the lock page moving between the nodes
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

}
