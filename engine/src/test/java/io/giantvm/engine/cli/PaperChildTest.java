package io.giantvm.engine.cli;

import io.giantvm.engine.kvm.HostKvmKind;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A bench run is a real {@code giantvm run} child process: how it ended comes back, its output is logged and followed. */
class PaperChildTest {
    @Test
    void progressShowsInitsReportsAndTheLaunchersLinesOnly() {
        assertThat(PaperChild.progressLine("[   30.1] @@GIANTVM sysbench test=cpu threads=2 events=950"))
                .hasValue("sysbench test=cpu threads=2 events=950");
        assertThat(PaperChild.progressLine("giantvm: 2 node processes (pids [1, 2]), config /tmp/x/vm.yaml"))
                .hasValue("2 node processes (pids [1, 2]), config /tmp/x/vm.yaml");
        assertThat(PaperChild.progressLine("[    0.000000] Linux version 6.1.0-57-cloud-amd64")).isEmpty();
        assertThat(PaperChild.progressLine("node 0 faults: read-missing 10")).isEmpty();
    }

    @Test
    void aChildThatFailsComesBackWithItsExitCodeItsLastLineAndNoJson(@TempDir Path dir) throws Exception {
        // Here the child refuses at once (a PVM host cannot run Linux): a real process whose failure must not end the bench.
        Assumptions.assumeTrue(HostKvmKind.detect() == HostKvmKind.PVM, "skipped: on this host the child would boot Linux");
        PaperOptions o = PaperOptions.parse(List.of("--time", "1", "--timeout", "60"));
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Path log = dir.resolve("run.log");
        PaperRunResult r = PaperChild.execute(new PaperRun(1, 2, Optional.empty()), o, Map.of(), log, "[1/1]",
                new PrintStream(progress, true, StandardCharsets.UTF_8));
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.json()).isNull();
        assertThat(r.ok()).isFalse();
        assertThat(r.lastLines().getLast()).startsWith("giantvm: this host's KVM is PVM");
        assertThat(Files.readString(log)).contains("giantvm: this host's KVM is PVM");
        assertThat(progress.toString(StandardCharsets.UTF_8)).startsWith("[1/1] this host's KVM is PVM");
    }
}
