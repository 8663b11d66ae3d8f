package io.giantvm.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.giantvm.engine.dsm.DsmLayout;
import io.giantvm.engine.dsm.DsmStats;
import io.giantvm.engine.dsm.FaultKind;
import io.giantvm.engine.dsm.LatencyHistogram;
import io.giantvm.engine.numa.SlitDistance;
import io.giantvm.engine.vm.NodeOutcome;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One node's statistics as JSON ({@code giantvm node --stats-json}), and the lines printed for them. The
 * launcher of {@code giantvm run --nodes} reads each node's file back and prints the same lines, so a node run
 * by hand and a node run by the launcher report alike.
 */
final class NodeStatsJson {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Bound on the pages listed one by one in the JSON; a thrashing guest moves a few dozen, not thousands. */
    static final int MOVED_PAGES_LIMIT = 4096;

    private NodeStatsJson() {}

    static ObjectNode of(int node, NodeOutcome o) {
        DsmStats d = o.dsm();
        ObjectNode root = MAPPER.createObjectNode();
        root.put("node", node);
        root.put("firstVcpu", o.firstVcpu());
        ObjectNode faults = root.putObject("faults");
        for (FaultKind k : FaultKind.values()) {
            faults.put(k.name().toLowerCase(Locale.ROOT).replace('_', '-'), d.faults(k));
        }
        root.put("remoteRequestsServed", d.remoteRequestsServed());
        root.put("invalidationsSent", d.invalidationsSent());
        root.put("invalidationsReceived", d.invalidationsReceived());
        root.put("bytesSent", d.bytesSent());
        root.put("bytesReceived", d.bytesReceived());
        root.put("zeroGrants", d.zeroGrants());
        root.put("pageTransfers", d.totalMoves());
        LatencyHistogram h = d.faultLatency();
        ObjectNode latency = root.putObject("faultLatency");
        latency.put("count", h.count());
        latency.put("p50UpperMicros", h.quantileUpperMicros(0.5));
        latency.put("p99UpperMicros", h.quantileUpperMicros(0.99));
        latency.put("buckets", h.format());
        ArrayNode top = root.putArray("topMovedPages");
        for (DsmStats.PageMoves p : d.topMovedPages(DsmLayout.TOP_PAGES)) {
            top.addObject().put("address", "0x" + Long.toHexString(DsmLayout.addressOf(p.page()))).put("moves", p.moves());
        }
        // Every page that moved here, most moved first (bounded): lets a reader attribute transfers to guest
        // structures, e.g. workload data versus the page tables that every vCPU's page walks touch.
        ObjectNode moved = root.putObject("movedPages");
        for (DsmStats.PageMoves p : d.topMovedPages(MOVED_PAGES_LIMIT)) {
            moved.put("0x" + Long.toHexString(DsmLayout.addressOf(p.page())), p.moves());
        }
        root.put("ipisSent", o.ipisSent());
        root.put("ipisReceived", o.ipisReceived());
        root.put("ioForwarded", o.ioForwarded());
        root.put("ioServed", o.ioServed());
        o.slit().ifPresent(slit -> putSlit(root, slit));
        ObjectNode exits = root.putObject("exitsByVcpu");
        List<Map<String, Long>> perVcpu = o.run().exits();
        for (int i = 0; i < perVcpu.size(); i++) {
            ObjectNode e = exits.putObject(String.valueOf(o.firstVcpu() + i));
            perVcpu.get(i).forEach(e::put);
        }
        return root;
    }

    /** What the boot node of a NUMA VM declared to the guest, for the launcher's check and the JSON results. */
    static void putSlit(ObjectNode root, SlitDistance slit) {
        root.putObject("slit").put("remote", slit.remote()).put("remoteFaultMicros", slit.remoteFaultMicros())
                .put("localFaultMicros", slit.localAccessMicros()).put("source", slit.source());
    }

    /** The SLIT distance a node of {@code stats} declared to the guest (the boot node's, under NUMA), if one did. */
    static Optional<SlitDistance> declaredSlit(List<JsonNode> stats) {
        return stats.stream().map(s -> s.path("slit")).filter(j -> !j.isMissingNode()).findFirst()
                .map(j -> new SlitDistance(j.path("remote").asInt(), j.path("remoteFaultMicros").asDouble(),
                        j.path("localFaultMicros").asDouble(), j.path("source").asText()));
    }

    static void write(JsonNode stats, Path file) {
        try {
            Files.writeString(file, MAPPER.writeValueAsString(stats));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write stats to " + file + ": " + e.getMessage(), e);
        }
    }

    static JsonNode read(Path file) throws IOException {
        return MAPPER.readTree(file.toFile());
    }

    /** The human lines: faults by kind, traffic, latency histogram, most moved pages. */
    static List<String> format(JsonNode s) {
        String n = "node " + s.path("node").asInt();
        List<String> lines = new ArrayList<>();
        JsonNode f = s.path("faults");
        lines.add(String.format(Locale.ROOT, "%s faults: read-missing %d, write-missing %d, write-protect %d; page transfers in %d (zero grants %d)",
                n, f.path("read-missing").asLong(), f.path("write-missing").asLong(), f.path("write-protect").asLong(),
                s.path("pageTransfers").asLong(), s.path("zeroGrants").asLong()));
        lines.add(String.format(Locale.ROOT, "%s served %d remote requests; invalidations sent %d, received %d; bytes sent %d, received %d",
                n, s.path("remoteRequestsServed").asLong(), s.path("invalidationsSent").asLong(), s.path("invalidationsReceived").asLong(),
                s.path("bytesSent").asLong(), s.path("bytesReceived").asLong()));
        JsonNode l = s.path("faultLatency");
        lines.add(String.format(Locale.ROOT, "%s fault latency (%d faults, p50 <= %d µs, p99 <= %d µs): %s", n,
                l.path("count").asLong(), l.path("p50UpperMicros").asLong(), l.path("p99UpperMicros").asLong(), l.path("buckets").asText()));
        StringBuilder top = new StringBuilder();
        for (JsonNode p : s.path("topMovedPages")) {
            top.append(top.isEmpty() ? "" : ", ").append(p.path("address").asText()).append(" x").append(p.path("moves").asLong());
        }
        lines.add(n + " most moved pages: " + (top.isEmpty() ? "(none)" : top));
        lines.add(String.format(Locale.ROOT, "%s IPIs sent %d, received %d; device accesses forwarded %d, served %d", n,
                s.path("ipisSent").asLong(), s.path("ipisReceived").asLong(), s.path("ioForwarded").asLong(), s.path("ioServed").asLong()));
        return lines;
    }
}
