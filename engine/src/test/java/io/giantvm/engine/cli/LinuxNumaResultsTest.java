package io.giantvm.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.giantvm.engine.config.VmDescriptionWriter;
import io.giantvm.engine.linux.InitReport;
import io.giantvm.engine.numa.NumaTopology;
import io.giantvm.engine.numa.SlitDistance;
import io.giantvm.engine.vm.RunOutcome;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The guest's NUMA listing in the results, and the check that Linux made the nodes the tables declare. */
class LinuxNumaResultsTest {
    private static final NumaTopology TWO_BY_TWO = NumaTopology.of(
            VmDescriptionWriter.loopback("t", 2, 2, 1L << 30, Optional.empty()), SlitDistance.DEFAULT);
    private static final RunOutcome POWERED_OFF = new RunOutcome(0, null, List.of(), Duration.ofSeconds(3),
            List.of(Map.of(), Map.of(), Map.of(), Map.of()), 2_000_000);

    private static LinuxRunResults results(Optional<NumaTopology> numa, String... numaLines) {
        InitReport r = new InitReport();
        r.accept("@@GIANTVM init uptime=3.2 nproc=4 kernel=6.1.0-x");
        for (String l : numaLines) {
            r.accept("@@GIANTVM numa " + l);
        }
        r.accept("@@GIANTVM done status=0");
        return new LinuxRunResults(4, List.of(), r, POWERED_OFF, numa);
    }

    @Test
    void theNodesTheTablesDeclarePass() {
        LinuxRunResults r = results(Optional.of(TWO_BY_TWO), "node=0 cpus=0-1 mem_kb=470000 distance=10,41",
                "node=1 cpus=2-3 mem_kb=520000 distance=41,10");
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void aGuestThatIgnoredTheSratOrSplitTheCpusOtherwiseFails() {
        assertThat(results(Optional.of(TWO_BY_TWO), "node=0 cpus=0-3 mem_kb=990000").problems())
                .containsExactly("the guest sees 1 NUMA node(s), the VM declares 2");
        assertThat(results(Optional.of(TWO_BY_TWO), "node=0 cpus=0 mem_kb=1", "node=1 cpus=1-3 mem_kb=1").problems())
                .containsExactly("the guest's NUMA node 0 has CPUs 0, the VM declares 0-1",
                        "the guest's NUMA node 1 has CPUs 1-3, the VM declares 2-3");
        assertThat(results(Optional.of(TWO_BY_TWO), "node=0 cpus=0-1 mem_kb=1 distance=10,20", "node=1 cpus=2-3 mem_kb=1 distance=20,10")
                .problems()).containsExactly("the guest's NUMA node 0 has distances 10,20, the SLIT says 10,41",
                "the guest's NUMA node 1 has distances 20,10, the SLIT says 41,10");
    }

    @Test
    void theGuestIsCheckedAgainstTheDistanceNodeZeroMeasuredAndReportedInItsStats() {
        SlitDistance measured = SlitDistance.fromLatency(114, 20, "measured on node 0 at start: t");
        ObjectNode node0 = NodeStatsJson.MAPPER.createObjectNode().put("node", 0);
        NodeStatsJson.putSlit(node0, measured);
        List<JsonNode> stats = List.of(node0, NodeStatsJson.MAPPER.createObjectNode().put("node", 1));

        SlitDistance declared = NodeStatsJson.declaredSlit(stats).orElseThrow();
        assertThat(declared).isEqualTo(measured);
        NumaTopology t = TWO_BY_TWO.withDistance(declared);
        assertThat(results(Optional.of(t), "node=0 cpus=0-1 mem_kb=1 distance=10,57", "node=1 cpus=2-3 mem_kb=1 distance=57,10")
                .problems()).isEmpty();
        assertThat(NodeStatsJson.declaredSlit(stats.subList(1, 2))).isEmpty();
    }

    @Test
    void aFlatVmOrAnInitWithoutTheListingIsNotChecked() {
        assertThat(results(Optional.empty(), "node=0 cpus=0-3 mem_kb=990000").problems()).isEmpty();
        assertThat(results(Optional.of(TWO_BY_TWO)).problems()).isEmpty();
    }

    @Test
    void theTableAndTheJsonListTheGuestsNodes() throws Exception {
        LinuxRunResults r = results(Optional.of(TWO_BY_TWO), "node=0 cpus=0-1 mem_kb=470016 distance=10,41",
                "node=1 cpus=2-3 mem_kb=524288 distance=41,10");
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        LinuxResultTable.print(r, new PrintStream(table, true, StandardCharsets.UTF_8));
        assertThat(table.toString(StandardCharsets.UTF_8)).contains("NUMA node 0: cpus 0-1, 459 MiB, distances 10,41\n")
                .contains("NUMA node 1: cpus 2-3, 512 MiB, distances 41,10\n");
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        LinuxResultJson.print(r, java.util.List.of(), new PrintStream(json, true, StandardCharsets.UTF_8));
        JsonNode nodes = new ObjectMapper().readTree(json.toString(StandardCharsets.UTF_8)).get("numaNodes");
        assertThat(nodes).hasSize(2);
        assertThat(nodes.get(1).get("node").asInt()).isEqualTo(1);
        assertThat(nodes.get(1).get("cpus").asText()).isEqualTo("2-3");
        assertThat(nodes.get(1).get("memKb").asLong()).isEqualTo(524288);
        assertThat(nodes.get(1).get("distance").asText()).isEqualTo("41,10");
    }

    @Test
    void withoutTestsAGuestThatEndedCleanlyPassesButWithTestsInitMustReport() {
        InitReport silent = new InitReport(); // a user's initrd: no report lines at all
        assertThat(new LinuxRunResults(4, List.of(), silent, POWERED_OFF).problems()).isEmpty();
        assertThat(new LinuxRunResults(4, List.of("cpu"), silent, POWERED_OFF).problems())
                .containsExactly("/init never reported (no '@@GIANTVM init' line)");

        InitReport unfinished = new InitReport(); // a shell the user left with reboot or poweroff
        unfinished.accept("@@GIANTVM init uptime=3.2 nproc=4 kernel=6.1.0-x");
        assertThat(new LinuxRunResults(4, List.of(), unfinished, POWERED_OFF).problems()).isEmpty();
        assertThat(new LinuxRunResults(4, List.of("cpu"), unfinished, POWERED_OFF).problems())
                .contains("/init did not finish (no '@@GIANTVM done' line)");
    }
}
