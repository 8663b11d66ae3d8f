package io.giantvm.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.giantvm.engine.dsm.HomeMap;
import io.giantvm.engine.mesh.TransportKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class VmDescriptionParserTest {
    static final String VALID = """
            apiVersion: giantvm.io/v1alpha1
            kind: VmDescription
            name: demo
            vcpusPerNode: 2
            memory: 256Mi
            ioNode: 1
            transport: tcp
            workload:
              name: mutex
              options:
                locks: "1"
                iterations: 20000
            nodes:
              - id: 1
                host: demo-1.demo-mesh.default.svc.cluster.local
                meshPort: 7100
                controlPort: 7200
              - id: 0
                host: demo-0.demo-mesh.default.svc.cluster.local
                meshPort: 7100
                controlPort: 7200
            """;

    static VmDescription parse(String yaml) {
        return VmDescriptionParser.parse(yaml, "vm.yaml");
    }

    @Test
    void theDocumentedExampleParsesWithItsDerivedValues() {
        VmDescription d = parse(VALID);
        assertThat(d.name()).isEqualTo("demo");
        assertThat(d.nodeCount()).isEqualTo(2);
        assertThat(d.totalVcpus()).isEqualTo(4);
        assertThat(d.memoryBytes()).isEqualTo(256L << 20);
        assertThat(d.ioNode()).isEqualTo(1);
        assertThat(d.transport()).isEqualTo(TransportKind.TCP);
        assertThat(d.workload()).contains(new Workload("mutex", Map.of("locks", "1", "iterations", "20000")));
        assertThat(d.nodes()).extracting(NodeEntry::id).containsExactly(0, 1);
        assertThat(d.node(1).host()).startsWith("demo-1");
        assertThat(d.firstVcpu(1)).isEqualTo(2);
        assertThat(d.nodeOfVcpu(0)).isZero();
        assertThat(d.nodeOfVcpu(1)).isZero();
        assertThat(d.nodeOfVcpu(2)).isEqualTo(1);
        assertThat(d.nodeOfVcpu(3)).isEqualTo(1);
        assertThat(d.homeRanges()).containsExactly(new HomeRange(0, 0, 128L << 20), new HomeRange(1, 128L << 20, 256L << 20));
        assertThat(d.meshAddresses().get(1).port()).isEqualTo(7100);
    }

    @Test
    void defaultsApplyWhenOptionalKeysAreAbsent() {
        VmDescription d = parse(VALID.replace("ioNode: 1\n", "").replace("transport: tcp\n", "")
                .replaceAll("(?s)workload:.*?nodes:", "nodes:"));
        assertThat(d.ioNode()).isZero();
        assertThat(d.transport()).isEqualTo(TransportKind.TCP);
        assertThat(d.workload()).isEmpty();
    }

    @Test
    void homeRangesAre2MiBMultiplesAndTheLastNodeTakesTheRemainder() {
        VmDescription d = parse(VALID.replace("memory: 256Mi", "memory: 100Mi").replace("  - id: 0", "  - id: 2\n    host: c\n    meshPort: 1\n    controlPort: 2\n  - id: 0"));
        // 100 MiB / 3 = 33.3 MiB -> 32 MiB (16 x 2 MiB) per node; the last node gets the rest (36 MiB).
        long share = 32L << 20;
        assertThat(d.homeRanges()).containsExactly(new HomeRange(0, 0, share), new HomeRange(1, share, 2 * share),
                new HomeRange(2, 2 * share, 100L << 20));
        HomeMap h = d.homeMap();
        assertThat(h.homeOf(0)).isZero();
        assertThat(h.homeOf((share >> 12) - 1)).isZero();
        assertThat(h.homeOf(share >> 12)).isEqualTo(1);
        assertThat(h.homeOf(((100L << 20) >> 12) - 1)).isEqualTo(2);
    }

    @Test
    void memorySizesParseWithEverySuffix() {
        assertThat(MemorySize.parse("4096")).isEqualTo(4096L);
        assertThat(MemorySize.parse("8Ki")).isEqualTo(8192L);
        assertThat(MemorySize.parse("3Mi")).isEqualTo(3L << 20);
        assertThat(MemorySize.parse("2Gi")).isEqualTo(2L << 30);
        assertThat(MemorySize.parse("5K")).isEqualTo(5000L);
        assertThat(MemorySize.parse("7M")).isEqualTo(7_000_000L);
        assertThat(MemorySize.parse("1G")).isEqualTo(1_000_000_000L);
        assertThat(MemorySize.parse("1.5Gi")).isNull();
        assertThat(MemorySize.parse("99999999999999Gi")).isNull();
        assertThat(parse(VALID.replace("memory: 256Mi", "memory: 268435456")).memoryBytes()).isEqualTo(256L << 20);
    }

    /** Each row: a replacement applied to the valid text, and the start of the one-line error it must produce. */
    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', textBlock = """
            apiVersion: giantvm.io/v1alpha1\\n | '' | vm.yaml: apiVersion: missing (required)
            kind: VmDescription\\n | '' | vm.yaml: kind: missing (required)
            name: demo\\n | '' | vm.yaml: name: missing (required)
            vcpusPerNode: 2\\n | '' | vm.yaml: vcpusPerNode: missing (required)
            memory: 256Mi\\n | '' | vm.yaml: memory: missing (required)
            (?s)nodes:.* | '' | vm.yaml: nodes: missing (required)
            name: demo | name: demo\\nnmae: typo | vm.yaml: nmae: unknown key
            name: mutex | name: mutex\\n  extra: 1 | vm.yaml: workload.extra: unknown key
            meshPort: 7100\\n    controlPort: 7200\\n  - id: 0 | meshPort: 7100\\n    controlPort: 7200\\n    zone: a\\n  - id: 0 | vm.yaml: nodes[0].zone: unknown key
            giantvm.io/v1alpha1 | giantvm.io/v2 | vm.yaml: apiVersion: 'giantvm.io/v2' is not supported
            kind: VmDescription | kind: Pod | vm.yaml: kind: 'Pod' is not VmDescription
            name: demo | name: Demo_VM | vm.yaml: name: 'Demo_VM' is not a DNS-1123 label
            vcpusPerNode: 2 | vcpusPerNode: 0 | vm.yaml: vcpusPerNode: 0 is less than 1
            vcpusPerNode: 2 | vcpusPerNode: two | vm.yaml: vcpusPerNode: expected an integer
            vcpusPerNode: 2 | vcpusPerNode: 200 | vm.yaml: vcpusPerNode: 200 x 2 nodes = 400 vCPUs
            memory: 256Mi | memory: lots | vm.yaml: memory: 'lots' is not a size
            memory: 256Mi | memory: 3Mi | vm.yaml: memory: 3Mi is too small
            memory: 256Mi | memory: 4000001 | vm.yaml: memory: 4000001 bytes is not a whole number of 4 KiB pages
            ioNode: 1 | ioNode: 2 | vm.yaml: ioNode: 2 is not a node id (0..1)
            transport: tcp | transport: udp | vm.yaml: transport: 'udp' is not one of tcp, rdma, inprocess
            transport: tcp | transport: tcp\\nnuma: 1 | vm.yaml: numa: expected true or false, got 1
            name: mutex | name: doom | vm.yaml: workload.name: 'doom' is not one of
            locks: "1" | locks: [1, 2] | vm.yaml: workload.options.locks: expected a single value
            - id: 1 | - id: 0 | vm.yaml: nodes[1].id: node id 0 appears twice
            - id: 1 | - id: 5 | vm.yaml: nodes: node id 1 is missing
            - id: 1 | - id: -1 | vm.yaml: nodes[0].id: -1 is negative
            meshPort: 7100\\n    controlPort: 7200\\n  - id: 0 | meshPort: 70000\\n    controlPort: 7200\\n  - id: 0 | vm.yaml: nodes[0].meshPort: 70000 is outside 1..65535
            controlPort: 7200\\n  - id: 0 | controlPort: 0\\n  - id: 0 | vm.yaml: nodes[0].controlPort: 0 is outside 1..65535
            meshPort: 7100\\n    controlPort: 7200\\n  - id: 0 | meshPort: 7100\\n    controlPort: 7100\\n  - id: 0 | vm.yaml: nodes[0].controlPort: demo-1.demo-mesh.default.svc.cluster.local:7100 is already used by nodes[0].meshPort
            demo-1.demo-mesh.default.svc.cluster.local | demo-0.demo-mesh.default.svc.cluster.local | vm.yaml: nodes[1].meshPort: demo-0.demo-mesh.default.svc.cluster.local:7100 is already used by nodes[0].meshPort
            host: demo-1.demo-mesh.default.svc.cluster.local | host: 17 | vm.yaml: nodes[0].host: expected a string
            name: demo | name: demo\\nname: again | vm.yaml: not valid YAML: Duplicate field 'name'
            (?s)^ | '- just\\n- a list\\n' | vm.yaml: expected a mapping
            """)
    void everyRejectionIsOneLineNamingTheKey(String regex, String replacement, String expectedStart) {
        String yaml = VALID.replaceFirst(regex.replace("\\n", "\n"), replacement.replace("\\n", "\n"));
        if (regex.equals("(?s)^")) {
            yaml = replacement.replace("\\n", "\n");
        }
        String text = yaml;
        assertThatThrownBy(() -> parse(text))
                .isInstanceOf(VmDescriptionException.class)
                .hasMessageStartingWith(expectedStart)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aLinuxGuestsNumaNodesMustEachGetAPackageOfApicIdsThatFitsAnXapic() {
        StringBuilder nodes = new StringBuilder("nodes:\n");
        for (int i = 0; i < 5; i++) {
            nodes.append("  - id: ").append(i).append("\n    host: h").append(i).append("\n    meshPort: 7100\n    controlPort: 7200\n");
        }
        String fiveOf40 = VALID.substring(0, VALID.indexOf("workload:")).replace("vcpusPerNode: 2", "vcpusPerNode: 40")
                .replace("memory: 256Mi", "memory: 1Gi") + "guest:\n  kind: bundled-linux\n" + nodes;
        assertThatThrownBy(() -> parse(fiveOf40)).isInstanceOf(VmDescriptionException.class)
                .hasMessage("vm.yaml: vcpusPerNode: 5 nodes x 40 vCPUs: as NUMA nodes each needs 64 APIC ids (a package with"
                        + " its own cache), so the largest would be 295, above the xAPIC's 254; use fewer nodes or NUMA off"
                        + " (--numa off, numa: false)");
        assertThat(parse(fiveOf40.replace("transport: tcp\n", "transport: tcp\nnuma: false\n")).totalVcpus()).isEqualTo(200);
    }

    @Test
    void numaIsOnUnlessTheDescriptionTurnsItOffAndTheWriterKeepsIt() {
        assertThat(parse(VALID).numa()).isTrue();
        VmDescription off = parse(VALID.replace("transport: tcp\n", "transport: tcp\nnuma: false\n"));
        assertThat(off.numa()).isFalse();
        assertThat(off).isEqualTo(parse(VALID).withNuma(false));
        assertThat(parse(VmDescriptionWriter.toYaml(off))).isEqualTo(off);
    }

    @Test
    void theWriterRoundTripsAndMakesLoopbackVms() {
        VmDescription written = VmDescriptionWriter.loopback("bench", 3, 1, 64L << 20,
                Optional.of(new Workload("mutex", Map.of("locks", "1", "iterations", "20000"))));
        String yaml = VmDescriptionWriter.toYaml(written);
        assertThat(parse(yaml)).isEqualTo(written);
        assertThat(written.nodes()).extracting(NodeEntry::meshPort).containsExactly(7100, 7101, 7102);
        assertThat(written.nodes()).extracting(NodeEntry::host).containsOnly("127.0.0.1");
        assertThat(written.totalVcpus()).isEqualTo(3);
        assertThat(yaml).contains("memory: 64Mi").contains("apiVersion: giantvm.io/v1alpha1");
        assertThat(parse(VmDescriptionWriter.toYaml(parse(VALID)))).isEqualTo(parse(VALID));
        assertThatThrownBy(() -> VmDescriptionWriter.loopback("bench", 3, 1, 4L << 20, Optional.empty()))
                .isInstanceOf(VmDescriptionException.class).hasMessageContaining("memory: 4Mi is too small");
        assertThat(List.of(VmDescriptionWriter.loopback("x", 1, 1, 2L << 20, Optional.empty()).homeRanges()))
                .isNotEmpty();
    }
}
