package io.giantvm.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.giantvm.engine.vm.GuestReport;
import io.giantvm.engine.vm.NodeFailureException;
import io.giantvm.engine.vm.RunOutcome;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The run as the I/O node saw it ({@code giantvm node --results-json}): guest status, failure, the guest's
 * bench records as raw bytes, time and TSC rate. The launcher turns it back into a {@link RunOutcome} so that
 * a distributed run is checked and printed by the same code as a single-node one.
 */
final class NodeResultsJson {
    private NodeResultsJson() {}

    static void write(RunOutcome o, Path file) {
        write(o, null, file);
    }

    /**
     * With {@code linux} (a Linux guest's I/O node): the {@code @@GIANTVM} lines its /init printed and the
     * console's last lines, which the launcher turns back into the same report and messages as a one-node run.
     */
    static void write(RunOutcome o, LinuxConsole linux, Path file) {
        ObjectNode root = NodeStatsJson.MAPPER.createObjectNode();
        root.put("guestStatus", o.guestStatus());
        if (o.failure() != null) {
            root.put("failure", String.valueOf(o.failure().getMessage()));
            if (o.failure() instanceof NodeFailureException n) {
                root.put("failedNode", n.node());
            }
        }
        root.put("elapsedNanos", o.elapsed().toNanos());
        root.put("tscKhz", o.tscKhz());
        ArrayNode reports = root.putArray("reports");
        for (GuestReport r : o.reports()) {
            reports.addObject().put("vcpu", r.vcpu()).put("record", HexFormat.of().formatHex(r.record()));
        }
        if (linux != null) {
            ObjectNode l = root.putObject("linux");
            linux.initLines().forEach(l.putArray("initLines")::add);
            linux.lastLines().forEach(l.putArray("lastConsoleLines")::add);
        }
        try {
            Files.writeString(file, NodeStatsJson.MAPPER.writeValueAsString(root));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results to " + file + ": " + e.getMessage(), e);
        }
    }

    /** The outcome, with the exits of every vCPU (gathered from the nodes' stats) filled in. */
    static RunOutcome read(Path file, List<Map<String, Long>> exits) throws IOException {
        JsonNode root = NodeStatsJson.MAPPER.readTree(file.toFile());
        List<GuestReport> reports = new ArrayList<>();
        for (JsonNode r : root.path("reports")) {
            reports.add(new GuestReport(r.path("vcpu").asInt(), HexFormat.of().parseHex(r.path("record").asText())));
        }
        Throwable failure = null;
        if (root.hasNonNull("failure")) {
            String message = root.path("failure").asText();
            failure = root.has("failedNode") ? new NodeFailureException(root.path("failedNode").asInt(), message)
                    : new RemoteRunException(message);
        }
        return new RunOutcome(root.path("guestStatus").asInt(), failure, reports,
                Duration.ofNanos(root.path("elapsedNanos").asLong()), exits, root.path("tscKhz").asLong());
    }

    /** What a Linux guest's I/O node saw on the console: /init's report lines and the last lines of all. */
    record LinuxConsole(List<String> initLines, List<String> lastLines) {}

    /** The Linux part of a results file, or null when it has none (the bundled guest, or unreadable). */
    static LinuxConsole readLinux(Path file) {
        try {
            JsonNode l = NodeStatsJson.MAPPER.readTree(file.toFile()).path("linux");
            if (l.isMissingNode()) {
                return null;
            }
            List<String> init = new ArrayList<>();
            l.path("initLines").forEach(n -> init.add(n.asText()));
            List<String> last = new ArrayList<>();
            l.path("lastConsoleLines").forEach(n -> last.add(n.asText()));
            return new LinuxConsole(init, last);
        } catch (IOException e) {
            return null;
        }
    }

    /** A failure that happened in a node process; only its message crossed over. */
    static final class RemoteRunException extends RuntimeException {
        RemoteRunException(String message) {
            super(message);
        }
    }

}
