package io.giantvm.engine.cli;

import io.giantvm.engine.config.NodeEntry;
import io.giantvm.engine.config.VmDescription;
import io.giantvm.engine.config.VmDescriptionWriter;
import io.giantvm.engine.config.Workload;
import io.giantvm.engine.guest.WorkloadSpec;
import io.giantvm.engine.mesh.NamespacePair;
import io.giantvm.engine.mesh.TransportKind;
import io.giantvm.engine.vm.KvmRequirement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * Two whole hypervisor instances ({@code giantvm node}, as a pod runs it) on two "machines": network namespaces
 * joined by a veth pair, each node reachable only at its own address, as in a cluster. The VM description is
 * what the operator would write. Needs KVM and the right to create namespaces (root); skipped, saying which,
 * where either is missing.
 */
class NodesInNamespacesIT {
    private static final int MESH_PORT = 7100;
    private static final int CONTROL_PORT = 7200;
    private static final Duration LIMIT = Duration.ofMinutes(8);

    @BeforeEach
    void needsKvmAndNamespaces() throws InterruptedException {
        KvmRequirement.assumeKvm();
        String reason = NamespacePair.unavailableReason();
        if (reason != null) {
            abort("skipped: " + reason);
        }
    }

    @Test
    void oneVmOverTwoNodesInTwoNamespacesCountsExactly(@TempDir Path dir) throws Exception {
        Map<String, String> options = Map.of("locks", "1", "iterations", "20000");
        WorkloadSpec spec = WorkloadSpec.parse("mutex", options);
        VmDescription d = new VmDescription("netns-" + ProcessHandle.current().pid(), 1, 64L << 20, 0, TransportKind.TCP,
                Optional.of(new Workload("mutex", options)),
                List.of(new NodeEntry(0, NamespacePair.ADDRESS_A, MESH_PORT, CONTROL_PORT),
                        new NodeEntry(1, NamespacePair.ADDRESS_B, MESH_PORT, CONTROL_PORT)));
        Path config = dir.resolve("vm.yaml");
        Files.writeString(config, VmDescriptionWriter.toYaml(d));
        Path results = dir.resolve("results.json");

        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        NodeProcesses.Ending ending;
        try (NamespacePair machines = NamespacePair.create("gvm-it");
             PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
             PrintStream err = new PrintStream(errors, true, StandardCharsets.UTF_8);
             NodeProcesses nodes = new NodeProcesses()) {
            for (int id = 0; id < 2; id++) {
                List<String> args = new ArrayList<>(List.of("node", "--config", config.toString(), "--id", String.valueOf(id)));
                if (id == d.ioNode()) {
                    args.addAll(List.of("--results-json", results.toString()));
                }
                nodes.start(id, machines.inside(id, NodeProcesses.javaCommand(args)), out, err);
            }
            ending = nodes.awaitAll(LIMIT);
        }
        String story = "stdout:\n" + console.toString(StandardCharsets.UTF_8) + "\nstderr:\n" + errors.toString(StandardCharsets.UTF_8);
        System.out.println(story);

        assertThat(ending.allOk()).as(story).isTrue();
        RunResults table = RunResults.of(spec, d.totalVcpus(), NodeResultsJson.read(results, List.of()));
        assertThat(table.problems()).as(story).isEmpty();
        assertThat(table.summary().checksum()).as("final counter").isEqualTo(40000);
    }
}
