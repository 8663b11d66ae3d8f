package io.giantvm.engine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.giantvm.engine.linux.NumaNodeReport;
import io.giantvm.engine.linux.SysbenchResult;

import java.io.PrintStream;

/** The machine-readable results of a Linux run ({@code --json}). */
final class LinuxResultJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private LinuxResultJson() {}

    /** With {@code nodes}: each node's statistics of a distributed run, as {@code giantvm node --stats-json} wrote them. */
    static void print(LinuxRunResults r, java.util.List<com.fasterxml.jackson.databind.JsonNode> nodes, PrintStream out) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("guest", "linux");
        root.put("vcpus", r.vcpus());
        root.put("ok", r.ok());
        ArrayNode problems = root.putArray("problems");
        r.problems().forEach(problems::add);
        root.put("guestStatus", r.outcome().guestStatus());
        if (r.report().kernel() != null) {
            root.put("kernel", r.report().kernel());
        }
        if (r.report().nproc() != null) {
            root.put("nproc", r.report().nproc());
        }
        if (r.report().bootSeconds() != null) {
            root.put("bootToInitSeconds", r.report().bootSeconds());
        }
        root.put("wallSeconds", r.outcome().elapsed().toNanos() / 1e9);
        ArrayNode numa = root.putArray("numaNodes");
        for (NumaNodeReport n : r.report().numaNodes()) {
            numa.addObject().put("node", n.node()).put("cpus", n.cpus()).put("memKb", n.memoryKb()).put("distance", n.distance());
        }
        ArrayNode tests = root.putArray("sysbench");
        for (SysbenchResult s : r.report().sysbench()) {
            ObjectNode n = tests.addObject();
            n.put("test", s.test());
            n.put("threads", s.threads());
            n.put("events", s.events());
            n.put("seconds", s.seconds());
            n.put("eventsPerSecond", s.eventsPerSecond());
            n.put("latencyMinMs", s.latencyMinMs());
            n.put("latencyAvgMs", s.latencyAvgMs());
            n.put("latencyMaxMs", s.latencyMaxMs());
            n.put("latencyP95Ms", s.latencyP95Ms());
        }
        ArrayNode exits = root.putArray("exitsPerVcpu");
        for (int i = 0; i < r.outcome().exits().size(); i++) {
            ObjectNode n = exits.addObject();
            n.put("vcpu", i);
            n.put("total", r.totalExits(i));
            r.outcome().exits().get(i).forEach(n::put);
        }
        if (!nodes.isEmpty()) {
            root.put("nodeCount", nodes.size());
            long transfers = nodes.stream().mapToLong(n -> n.path("pageTransfers").asLong()).sum();
            root.put("pageTransfers", transfers);
            // Over the I/O node's whole run, boot included: the nodes count transfers, not when they happened.
            double wall = r.outcome().elapsed().toNanos() / 1e9;
            root.put("pageTransfersPerSecond", wall > 0 ? transfers / wall : 0);
            root.put("remoteRequestsServed", nodes.stream().mapToLong(n -> n.path("remoteRequestsServed").asLong()).sum());
            root.putArray("nodes").addAll(nodes);
        }
        try {
            out.println(MAPPER.writeValueAsString(root));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
