package io.giantvm.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.giantvm.engine.linux.InitReport;
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
import static org.assertj.core.api.Assertions.within;

/**
 * {@code bench paper} reads what {@code giantvm run --json} prints today, not what its fixtures say: a distributed
 * run's JSON carries the DSM figures the table shows (page transfers, per second, faults served for another node).
 */
class PaperReadsRunJsonTest {
    @Test
    void aDistributedRunsJsonGivesTheEventsAndTheDsmFigures() {
        InitReport report = new InitReport();
        report.accept("@@GIANTVM init uptime=14.2 nproc=2 kernel=6.1.0-57-cloud-amd64");
        report.accept("@@GIANTVM sysbench test=memory-write-local threads=2 events=5000 time_s=5.0 events_per_s=1000.00"
                + " lat_min_ms=0 lat_avg_ms=0 lat_max_ms=1 lat_p95_ms=0");
        report.accept("@@GIANTVM sysbench test=mutex threads=2 events=0 time_s=5.0 events_per_s=0 lat_min_ms=0 lat_avg_ms=0"
                + " lat_max_ms=0 lat_p95_ms=0");
        report.accept("@@GIANTVM done status=0");
        RunOutcome outcome = new RunOutcome(0, null, List.of(), Duration.ofSeconds(40), List.of(Map.of(), Map.of()), 2_000_000);
        LinuxRunResults results = new LinuxRunResults(2, List.of("memory-write-local", "mutex"), report, outcome);
        List<JsonNode> nodes = List.of(
                NodeStatsJson.MAPPER.createObjectNode().put("node", 0).put("pageTransfers", 300).put("remoteRequestsServed", 120),
                NodeStatsJson.MAPPER.createObjectNode().put("node", 1).put("pageTransfers", 100).put("remoteRequestsServed", 80));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LinuxResultJson.print(results, nodes, new PrintStream(out, true, StandardCharsets.UTF_8));

        PaperRunResult r = new PaperRunResult(new PaperRun(2, 1, Optional.of(true)), 1,
                PaperChild.parse(out.toString(StandardCharsets.UTF_8)), List.of());
        assertThat(r.eventsPerSecond("memory-write-local").getAsDouble()).isEqualTo(1000.0);
        assertThat(r.perVcpu("memory-write-local").getAsDouble()).isEqualTo(500.0);
        assertThat(r.eventsPerSecond("mutex")).as("no events: no figure").isEmpty();
        assertThat(r.pageTransfers().getAsLong()).isEqualTo(400);
        assertThat(r.pageTransfersPerSecond().getAsDouble()).isCloseTo(10.0, within(1e-9));
        assertThat(r.remoteRequestsServed().getAsLong()).isEqualTo(200);
        assertThat(r.ok()).isFalse();
        assertThat(r.problem()).isEqualTo("exit 1: sysbench mutex counted no events");
    }

    @Test
    void aOneNodeRunHasNoDsmFiguresAndNothingPrintedIsNoJson() {
        assertThat(PaperChild.parse("")).isNull();
        assertThat(PaperChild.parse("giantvm: this host's KVM is PVM")).isNull();
        PaperRunResult r = new PaperRunResult(new PaperRun(1, 2, Optional.empty()), 2, null, List.of("giantvm: no /dev/kvm"));
        assertThat(r.pageTransfers()).isEmpty();
        assertThat(r.eventsPerSecond("cpu")).isEmpty();
        assertThat(r.problem()).isEqualTo("exit 2: giantvm: no /dev/kvm");
    }
}
