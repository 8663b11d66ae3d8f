package io.giantvm.engine.config;

import io.giantvm.engine.mesh.TransportKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Writes a VM description in the documented format; {@link #loopback} makes the one {@code giantvm run} uses. */
public final class VmDescriptionWriter {
    private VmDescriptionWriter() {}

    /** {@code nodes} nodes on 127.0.0.1, node i on ports meshBase+i and controlBase+i. */
    public static VmDescription loopback(String name, int nodes, int vcpusPerNode, long memoryBytes,
                                         Optional<Workload> workload, int meshBase, int controlBase) {
        return loopback(name, nodes, vcpusPerNode, memoryBytes, workload, Optional.empty(), meshBase, controlBase);
    }

    /** The same with a Linux guest instead of the bundled guest's workload (give one or neither). */
    public static VmDescription loopback(String name, int nodes, int vcpusPerNode, long memoryBytes,
                                         Optional<Workload> workload, Optional<GuestSpec> guest, int meshBase, int controlBase) {
        List<NodeEntry> entries = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            entries.add(new NodeEntry(i, ConfigLayout.LOOPBACK_HOST, meshBase + i, controlBase + i));
        }
        VmDescription d = new VmDescription(name, vcpusPerNode, memoryBytes, 0, TransportKind.TCP, workload, guest, entries);
        // Through the parser once, so a loopback VM obeys exactly the rules a hand-written one does.
        return VmDescriptionParser.parse(toYaml(d), "generated " + name);
    }

    public static VmDescription loopback(String name, int nodes, int vcpusPerNode, long memoryBytes, Optional<Workload> workload) {
        return loopback(name, nodes, vcpusPerNode, memoryBytes, workload, ConfigLayout.LOOPBACK_MESH_BASE, ConfigLayout.LOOPBACK_CONTROL_BASE);
    }

    public static String toYaml(VmDescription d) {
        StringBuilder y = new StringBuilder();
        y.append("apiVersion: ").append(ConfigLayout.API_VERSION).append('\n');
        y.append("kind: ").append(ConfigLayout.KIND).append('\n');
        y.append("name: ").append(d.name()).append('\n');
        y.append("vcpusPerNode: ").append(d.vcpusPerNode()).append('\n');
        y.append("memory: ").append(MemorySize.format(d.memoryBytes())).append('\n');
        y.append("ioNode: ").append(d.ioNode()).append('\n');
        y.append("transport: ").append(d.transport().yamlName()).append('\n');
        y.append("numa: ").append(d.numa()).append('\n');
        d.workload().ifPresent(w -> {
            y.append("workload:\n");
            y.append("  name: ").append(w.name()).append('\n');
            if (!w.options().isEmpty()) {
                y.append("  options:\n");
                w.options().entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .forEach(e -> y.append("    ").append(quote(e.getKey())).append(": ").append(quote(e.getValue())).append('\n'));
            }
        });
        d.guest().ifPresent(g -> {
            y.append("guest:\n");
            y.append("  kind: ").append(g.image().yamlName()).append('\n');
            g.kernel().ifPresent(k -> y.append("  kernel: ").append(quote(k)).append('\n'));
            g.initrd().ifPresent(k -> y.append("  initrd: ").append(quote(k)).append('\n'));
            g.append().ifPresent(k -> y.append("  append: ").append(quote(k)).append('\n'));
            if (g.image() == GuestSpec.Image.BUNDLED_LINUX) {
                y.append("  sysbench: ").append(quote(String.join(",", g.sysbench()))).append('\n');
                y.append("  time: ").append(g.seconds()).append('\n');
            }
        });
        y.append("nodes:\n");
        for (NodeEntry n : d.nodes()) {
            y.append("  - id: ").append(n.id()).append('\n');
            y.append("    host: ").append(quote(n.host())).append('\n');
            y.append("    meshPort: ").append(n.meshPort()).append('\n');
            y.append("    controlPort: ").append(n.controlPort()).append('\n');
        }
        return y.toString();
    }

    /** Double-quoted YAML scalar: always a string, whatever it looks like. */
    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
