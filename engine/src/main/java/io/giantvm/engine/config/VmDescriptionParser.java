package io.giantvm.engine.config;

import io.giantvm.engine.cpu.ApicIdMap;
import io.giantvm.engine.vm.VmConfigurationException;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.giantvm.engine.mesh.TransportKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates a VM description (YAML or JSON). Every rejection is one line:
 * {@code <source>: <key>: <what is wrong>}. Walks the tree by hand rather than binding to classes so that each
 * message can name the exact key, and so unknown keys and duplicate keys are refused, not ignored.
 */
public final class VmDescriptionParser {
    private static final ObjectMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Set<String> TOP_KEYS = Set.of("apiVersion", "kind", "name", "vcpusPerNode", "memory", "ioNode",
            "transport", "workload", "guest", "nodes", "numa");
    private static final Set<String> WORKLOAD_KEYS = Set.of("name", "options");
    private static final Set<String> GUEST_KEYS = Set.of("kind", "kernel", "initrd", "append", "sysbench", "time");
    private static final Set<String> NODE_KEYS = Set.of("id", "host", "meshPort", "controlPort");

    private final String source;

    private VmDescriptionParser(String source) {
        this.source = source;
    }

    public static VmDescription parse(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new VmDescriptionException(file + ": cannot read: " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    /** {@code source} names the text in messages (usually its file name). */
    public static VmDescription parse(String text, String source) {
        return new VmDescriptionParser(source).parseText(text);
    }

    private VmDescriptionException error(String key, String problem) {
        return new VmDescriptionException(source + ": " + key + ": " + problem);
    }

    private VmDescription parseText(String text) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JacksonException e) {
            String msg = e.getOriginalMessage().lines().findFirst().orElse("unreadable");
            throw new VmDescriptionException(source + ": not valid YAML: " + msg
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""));
        }
        if (root == null || !root.isObject()) {
            throw new VmDescriptionException(source + ": expected a mapping of keys (apiVersion, kind, name, ...)");
        }
        rejectUnknown(root, TOP_KEYS, "");

        String apiVersion = requiredText(root, "apiVersion", "apiVersion");
        if (!apiVersion.equals(ConfigLayout.API_VERSION)) {
            throw error("apiVersion", "'" + apiVersion + "' is not supported; the only version is " + ConfigLayout.API_VERSION);
        }
        String kind = requiredText(root, "kind", "kind");
        if (!kind.equals(ConfigLayout.KIND)) {
            throw error("kind", "'" + kind + "' is not " + ConfigLayout.KIND);
        }
        String name = requiredText(root, "name", "name");
        if (name.length() > 63 || !DNS_LABEL.matcher(name).matches()) {
            throw error("name", "'" + name + "' is not a DNS-1123 label (lower-case letters, digits and '-', at most 63)");
        }
        int vcpusPerNode = requiredInt(root, "vcpusPerNode", "vcpusPerNode");
        if (vcpusPerNode < 1) {
            throw error("vcpusPerNode", vcpusPerNode + " is less than 1");
        }
        List<NodeEntry> nodes = parseNodes(root);
        if ((long) vcpusPerNode * nodes.size() > ConfigLayout.MAX_VCPUS) {
            throw error("vcpusPerNode", vcpusPerNode + " x " + nodes.size() + " nodes = " + (long) vcpusPerNode * nodes.size()
                    + " vCPUs, more than the " + ConfigLayout.MAX_VCPUS + " an xAPIC can address");
        }
        long memory = parseMemory(root, nodes.size());
        int ioNode = 0;
        if (root.has("ioNode")) {
            ioNode = requiredInt(root, "ioNode", "ioNode");
            if (ioNode < 0 || ioNode >= nodes.size()) {
                throw error("ioNode", ioNode + " is not a node id (0.." + (nodes.size() - 1) + ")");
            }
        }
        TransportKind transport = TransportKind.TCP;
        if (root.has("transport")) {
            String t = requiredText(root, "transport", "transport");
            transport = TransportKind.parse(t);
            if (transport == null) {
                throw error("transport", "'" + t + "' is not one of tcp, rdma, inprocess");
            }
        }
        Optional<Workload> workload = root.has("workload") ? Optional.of(parseWorkload(root.get("workload"))) : Optional.empty();
        Optional<GuestSpec> guest = root.has("guest") ? Optional.of(parseGuest(root.get("guest"))) : Optional.empty();
        if (guest.isPresent() && workload.isPresent()) {
            throw error("workload", "is the bundled test guest's; a VM with a guest (Linux) has none");
        }
        boolean numa = true;
        if (root.has("numa")) {
            JsonNode n = root.get("numa");
            if (!n.isBoolean()) {
                throw error("numa", "expected true or false, got " + n);
            }
            numa = n.asBoolean();
        }
        if (guest.isPresent() && numa && nodes.size() > 1) {
            try { // a Linux guest told of NUMA nodes gets a package of APIC ids per node: they must fit an xAPIC
                ApicIdMap.packagePerNode(nodes.size(), vcpusPerNode);
            } catch (VmConfigurationException e) {
                throw error("vcpusPerNode", e.getMessage());
            }
        }
        return new VmDescription(name, vcpusPerNode, memory, ioNode, transport, workload, guest, nodes, numa);
    }

    private long parseMemory(JsonNode root, int nodeCount) {
        JsonNode m = root.get("memory");
        if (m == null || m.isNull()) {
            throw error("memory", "missing (required)");
        }
        Long bytes = m.isIntegralNumber() && m.canConvertToLong() ? Long.valueOf(m.asLong())
                : m.isTextual() ? MemorySize.parse(m.asText()) : null;
        if (bytes == null) {
            throw error("memory", "'" + m.asText() + "' is not a size (an integer, optionally with Ki Mi Gi K M G)");
        }
        if (bytes % ConfigLayout.PAGE != 0) {
            throw error("memory", bytes + " bytes is not a whole number of 4 KiB pages");
        }
        if (VmDescription.homeShare(bytes, nodeCount) < ConfigLayout.HOME_ALIGNMENT) {
            throw error("memory", MemorySize.format(bytes) + " is too small: each of the " + nodeCount
                    + " nodes needs a home range of at least 2Mi (so at least " + MemorySize.format(nodeCount * ConfigLayout.HOME_ALIGNMENT) + ")");
        }
        return bytes;
    }

    private List<NodeEntry> parseNodes(JsonNode root) {
        JsonNode list = root.get("nodes");
        if (list == null || list.isNull()) {
            throw error("nodes", "missing (required)");
        }
        if (!list.isArray() || list.isEmpty()) {
            throw error("nodes", "expected a non-empty list of nodes");
        }
        Map<Integer, NodeEntry> byId = new HashMap<>();
        Map<String, String> endpoints = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "nodes[" + i + "]";
            JsonNode n = list.get(i);
            if (!n.isObject()) {
                throw error(at, "expected a mapping with id, host, meshPort, controlPort");
            }
            rejectUnknown(n, NODE_KEYS, at + ".");
            int id = requiredInt(n, "id", at + ".id");
            if (id < 0) {
                throw error(at + ".id", id + " is negative");
            }
            String host = requiredText(n, "host", at + ".host");
            if (host.isBlank()) {
                throw error(at + ".host", "is empty");
            }
            int meshPort = port(n, "meshPort", at);
            int controlPort = port(n, "controlPort", at);
            if (byId.putIfAbsent(id, new NodeEntry(id, host, meshPort, controlPort)) != null) {
                throw error(at + ".id", "node id " + id + " appears twice");
            }
            for (var e : List.of(Map.entry(meshPort, at + ".meshPort"), Map.entry(controlPort, at + ".controlPort"))) {
                String previous = endpoints.putIfAbsent(host + ":" + e.getKey(), e.getValue());
                if (previous != null) {
                    throw error(e.getValue(), host + ":" + e.getKey() + " is already used by " + previous);
                }
            }
        }
        List<NodeEntry> nodes = new ArrayList<>();
        for (int id = 0; id < list.size(); id++) {
            NodeEntry n = byId.get(id);
            if (n == null) {
                throw error("nodes", "node id " + id + " is missing; ids must be 0.." + (list.size() - 1) + ", each once");
            }
            nodes.add(n);
        }
        return nodes;
    }

    private int port(JsonNode n, String key, String at) {
        int p = requiredInt(n, key, at + "." + key);
        if (p < 1 || p > ConfigLayout.MAX_PORT) {
            throw error(at + "." + key, p + " is outside 1.." + ConfigLayout.MAX_PORT);
        }
        return p;
    }

    private Workload parseWorkload(JsonNode w) {
        if (!w.isObject()) {
            throw error("workload", "expected a mapping with name and options");
        }
        rejectUnknown(w, WORKLOAD_KEYS, "workload.");
        String name = requiredText(w, "name", "workload.name");
        if (!Workload.NAMES.contains(name)) {
            throw error("workload.name", "'" + name + "' is not one of " + String.join(", ", Workload.NAMES));
        }
        Map<String, String> options = new LinkedHashMap<>();
        JsonNode o = w.get("options");
        if (o != null && !o.isNull()) {
            if (!o.isObject()) {
                throw error("workload.options", "expected a mapping of option name to value");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                    throw error("workload.options." + e.getKey(), "expected a single value");
                }
                options.put(e.getKey(), e.getValue().asText());
            }
        }
        return new Workload(name, options);
    }

    private GuestSpec parseGuest(JsonNode g) {
        if (!g.isObject()) {
            throw error("guest", "expected a mapping with kind (bundled-linux or kernel) and its settings");
        }
        rejectUnknown(g, GUEST_KEYS, "guest.");
        String imageName = requiredText(g, "kind", "guest.kind");
        GuestSpec.Image image = GuestSpec.Image.parse(imageName);
        if (image == null) {
            throw error("guest.kind", "'" + imageName + "' is not one of bundled-linux, kernel");
        }
        Optional<String> kernel = optionalText(g, "kernel");
        Optional<String> initrd = optionalText(g, "initrd");
        Optional<String> append = optionalText(g, "append");
        if (image == GuestSpec.Image.KERNEL) {
            if (kernel.isEmpty()) {
                throw error("guest.kernel", "missing (required with kind: kernel)");
            }
            for (String key : List.of("sysbench", "time")) {
                if (g.has(key)) {
                    throw error("guest." + key, "drives the bundled Linux's /init; with kind: kernel put your orders in append");
                }
            }
            return new GuestSpec(image, kernel, initrd, append, List.of(), 0);
        }
        for (String key : List.of("kernel", "initrd")) {
            if (g.has(key)) {
                throw error("guest." + key, "goes with kind: kernel (bundled-linux brings its own)");
            }
        }
        List<String> tests = g.has("sysbench") ? parseTests(g.get("sysbench")) : io.giantvm.engine.linux.DefaultLinuxGuest.SYSBENCH_TESTS;
        int seconds = io.giantvm.engine.linux.DefaultLinuxGuest.DEFAULT_SYSBENCH_SECONDS;
        if (g.has("time")) {
            seconds = requiredInt(g, "time", "guest.time");
            if (seconds < 1 || seconds > 3600) {
                throw error("guest.time", seconds + " is outside 1..3600 seconds");
            }
        }
        return GuestSpec.bundledLinux(tests, seconds, append);
    }

    /** A list of names, or one comma-separated string (as the CLI's --sysbench takes it). */
    private List<String> parseTests(JsonNode v) {
        List<String> tests = new ArrayList<>();
        if (v.isTextual()) {
            for (String t : v.asText().split(",")) {
                tests.add(t.strip());
            }
        } else if (v.isArray()) {
            v.forEach(t -> tests.add(t.asText()));
        } else {
            throw error("guest.sysbench", "expected a list of tests or a comma-separated string");
        }
        List<String> known = io.giantvm.engine.linux.SysbenchTests.KNOWN;
        for (String t : tests) {
            if (!known.contains(t)) {
                throw error("guest.sysbench", "'" + t + "' is not one of " + String.join(", ", known));
            }
        }
        if (tests.isEmpty()) {
            throw error("guest.sysbench", "is empty (leave it out for sysbench's four own tests)");
        }
        return tests;
    }

    private Optional<String> optionalText(JsonNode object, String field) {
        return object.has(field) ? Optional.of(requiredText(object, field, "guest." + field)) : Optional.empty();
    }

    private void rejectUnknown(JsonNode object, Set<String> known, String prefix) {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                throw error(prefix + key, "unknown key (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private String requiredText(JsonNode object, String field, String key) {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) {
            throw error(key, "missing (required)");
        }
        if (!v.isTextual()) {
            throw error(key, "expected a string, got " + v);
        }
        return v.asText();
    }

    private int requiredInt(JsonNode object, String field, String key) {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) {
            throw error(key, "missing (required)");
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw error(key, "expected an integer, got " + v);
        }
        return v.asInt();
    }
}
