package io.giantvm.engine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintStream;

/** The machine-readable form of a run's results ({@code --json}). */
final class ResultJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultJson() {}

    static void print(RunResults r, PrintStream out) {
        print(r, java.util.List.of(), out);
    }

    /** With {@code nodes}: each node's statistics of a distributed run, as {@code giantvm node --stats-json} wrote them. */
    static void print(RunResults r, java.util.List<com.fasterxml.jackson.databind.JsonNode> nodes, PrintStream out) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("workload", r.spec().workload().cliName());
        root.put("vcpus", r.vcpus());
        root.put("ok", r.ok());
        root.put("guestStatus", r.outcome().guestStatus());
        if (r.outcome().failure() != null) {
            root.put("failure", r.outcome().failure().getMessage());
        }
        root.put("unit", RunResults.operationUnit(r.spec()));
        root.put("wallSeconds", r.outcome().elapsed().toNanos() / 1e9);
        root.put("tscKhz", r.outcome().tscKhz());
        ArrayNode rows = root.putArray("perVcpu");
        for (RunResults.Row row : r.rows()) {
            ObjectNode n = rows.addObject();
            n.put("vcpu", row.vcpu());
            n.put("operations", Long.toUnsignedString(row.operations()));
            n.put("seconds", row.seconds());
            n.put("operationsPerSecond", row.operationsPerSecond());
            n.put("checksum", Long.toUnsignedString(row.checksum()));
            n.put("expectedChecksum", Long.toUnsignedString(row.expectedChecksum()));
            n.put("interrupts", row.interrupts());
            n.put("startSeconds", row.startSeconds());
            n.put("stopSeconds", row.stopSeconds());
            n.put("startTsc", Long.toUnsignedString(row.startTsc()));
            ObjectNode exits = n.putObject("exits");
            if (row.vcpu() < r.outcome().exits().size()) {
                r.outcome().exits().get(row.vcpu()).forEach(exits::put);
            }
        }
        ObjectNode total = root.putObject("total");
        total.put("operations", Long.toUnsignedString(r.totalOperations()));
        total.put("operationsPerSecond", r.totalOperationsPerSecond());
        if (r.summary() != null) {
            total.put("final" + Character.toUpperCase(RunResults.summaryLabel(r.spec()).charAt(0))
                    + RunResults.summaryLabel(r.spec()).substring(1).replace(" ", ""), Long.toUnsignedString(r.summary().checksum()));
        }
        root.put("timeWindowMillis", r.spec().timeMillis());
        if (r.window() != null) {
            root.put("overlap", r.window().overlap());
            root.put("comparable", r.window().together());
        }
        ArrayNode skew = root.putArray("tscSkew");
        double khz = r.outcome().tscKhz();
        for (io.giantvm.engine.guest.TscProbe p : r.tscSkew()) {
            ObjectNode n = skew.addObject();
            n.put("vcpu", p.vcpu());
            n.put("lowMicros", p.skewLow() / khz * 1000);
            n.put("highMicros", p.skewHigh() / khz * 1000);
            n.put("roundTripMicros", p.roundTrip() / khz * 1000);
            n.put("backwardsMicros", p.backwards() / khz * 1000);
        }
        ArrayNode problems = root.putArray("problems");
        r.problems().forEach(problems::add);
        if (!nodes.isEmpty()) {
            root.putArray("nodes").addAll(nodes);
        }
        try {
            out.println(MAPPER.writeValueAsString(root));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot render results as JSON", e);
        }
    }
}
