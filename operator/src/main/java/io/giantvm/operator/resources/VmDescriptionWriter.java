package io.giantvm.operator.resources;

import io.giantvm.operator.crd.GiantVM;
import io.giantvm.operator.crd.GiantVMSpec;
import io.giantvm.operator.crd.GuestKind;
import io.giantvm.operator.crd.GuestSpec;
import io.giantvm.operator.crd.MemorySize;
import io.giantvm.operator.crd.SysbenchTest;
import io.giantvm.operator.runtime.OperatorSettings;

import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the VM description file ({@code vm.yaml}) every hypervisor of one VM loads, in the format of
 * engine/VM-DESCRIPTION.md. Written by hand rather than by a YAML library so that the output is
 * byte-stable (the hash of it decides whether the VM restarts) and reads like the documented example.
 */
public final class VmDescriptionWriter {
    public static final String API_VERSION = "giantvm.io/v1alpha1";
    public static final String KIND = "VmDescription";
    /** Devices (UART, bench, debug-exit) live on node 0, as the engine's default. */
    static final int IO_NODE = 0;

    private VmDescriptionWriter() {}

    /** With the default cluster domain (cluster.local). */
    public static String write(GiantVM vm) {
        return write(vm, OperatorSettings.DEFAULT_CLUSTER_DOMAIN);
    }

    /** The spec must have passed {@code SpecValidator} (memory parses, nodes in range). */
    public static String write(GiantVM vm, String clusterDomain) {
        GiantVMSpec spec = vm.getSpec();
        String name = vm.getMetadata().getName();
        String namespace = vm.getMetadata().getNamespace();
        StringBuilder y = new StringBuilder();
        y.append("# Written by the giantvm operator for GiantVM ").append(namespace).append('/').append(name)
                .append("; every node loads this file.\n");
        y.append("apiVersion: ").append(API_VERSION).append('\n');
        y.append("kind: ").append(KIND).append('\n');
        y.append("name: ").append(name).append('\n');
        y.append("vcpusPerNode: ").append(spec.vcpusPerNode).append('\n');
        y.append("memory: ").append(MemorySize.format(MemorySize.parseBytes(spec.memory))).append('\n');
        y.append("ioNode: ").append(IO_NODE).append('\n');
        y.append("transport: ").append(spec.transportOrDefault().wire()).append('\n');
        if (!spec.numaOrDefault()) {
            // Only when off (the engine's default is on): the file of every VM that does not ask stays byte for byte
            // what it was, so its hash does not change and the operator does not restart it.
            y.append("numa: false\n");
        }
        if (spec.workload != null && spec.workload.name != null) {
            y.append("workload:\n");
            y.append("  name: ").append(spec.workload.name.wire()).append('\n');
            if (spec.workload.options != null && !spec.workload.options.isEmpty()) {
                y.append("  options:\n");
                // Sorted: the same options in another order must not restart the VM.
                for (Map.Entry<String, String> o : new TreeMap<>(spec.workload.options).entrySet()) {
                    y.append("    ").append(quote(o.getKey())).append(": ").append(quote(o.getValue())).append('\n');
                }
            }
        }
        writeGuest(spec, y);
        y.append("nodes:\n");
        for (int i = 0; i < spec.nodes; i++) {
            y.append("  - id: ").append(i).append('\n');
            y.append("    host: ").append(EngineLayout.hostName(name, i, namespace, clusterDomain)).append('\n');
            y.append("    meshPort: ").append(EngineLayout.MESH_PORT).append('\n');
            y.append("    controlPort: ").append(EngineLayout.CONTROL_PORT).append('\n');
        }
        return y.toString();
    }

    /**
     * The guest section, written only for a Linux guest: the test guest is what a description without one
     * boots, so a VM that names it explicitly (or not at all) gets the same file, the same hash, no restart.
     * Keys: {@code guest.kind, kernel, initrd, append, sysbench, time} (DescriptionAgreesWithEngineTest
     * holds them against the engine's parser); the kernel and initrd are paths in the pod, under the guest
     * volume's mount.
     */
    private static void writeGuest(GiantVMSpec spec, StringBuilder y) {
        if (!spec.guestKind().linux()) {
            return;
        }
        GuestSpec g = spec.guest;
        y.append("guest:\n");
        y.append("  kind: ").append(g.kindOrDefault().wire()).append('\n');
        if (g.kindOrDefault() == GuestKind.KERNEL) {
            y.append("  kernel: ").append(quote(EngineLayout.guestPath(g.kernel))).append('\n');
            if (g.initrd != null) {
                y.append("  initrd: ").append(quote(EngineLayout.guestPath(g.initrd))).append('\n');
            }
        }
        if (g.append != null && !g.append.isBlank()) {
            y.append("  append: ").append(quote(g.append)).append('\n');
        }
        if (g.sysbench != null && !g.sysbench.isEmpty()) {
            // In the user's order: it is the order the guest runs them.
            y.append("  sysbench:\n");
            for (SysbenchTest t : g.sysbench) {
                y.append("    - ").append(t.wire()).append('\n');
            }
        }
        if (g.time != null) {
            y.append("  time: ").append(g.time).append('\n');
        }
    }

    /** A YAML double-quoted scalar; JSON's escapes are a subset of YAML's, so this is both. */
    static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : (s == null ? "" : s).toCharArray()) {
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\t' -> q.append("\\t");
                case '\r' -> q.append("\\r");
                default -> {
                    if (c < 0x20) {
                        q.append(String.format("\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }
}
