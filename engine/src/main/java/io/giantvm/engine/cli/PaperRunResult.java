package io.giantvm.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * How one of {@code bench paper}'s child runs ended: its exit code, the JSON it printed ({@code giantvm run --json},
 * null when it printed none) and its last lines on stderr. Figures are read from the JSON even when the run's check
 * failed (a test that counted events still measured them); the failure is said beside the table.
 */
record PaperRunResult(PaperRun run, int exitCode, JsonNode json, List<String> lastLines) {
    /** The run exited 0 and its own check passed. */
    boolean ok() {
        return exitCode == Main.EXIT_OK && json != null && json.path("ok").asBoolean(false);
    }

    /** The test's events/s, when the guest reported it with events > 0. */
    OptionalDouble eventsPerSecond(String test) {
        if (json != null) {
            for (JsonNode t : json.path("sysbench")) {
                if (t.path("test").asText().equals(test) && t.path("events").asLong() > 0) {
                    return OptionalDouble.of(t.path("eventsPerSecond").asDouble());
                }
            }
        }
        return OptionalDouble.empty();
    }

    /** The test's events/s per vCPU of the VM (the run's own count where the JSON has it). */
    OptionalDouble perVcpu(String test) {
        int vcpus = json == null ? run.vcpus() : json.path("vcpus").asInt(run.vcpus());
        OptionalDouble eps = eventsPerSecond(test);
        return eps.isPresent() ? OptionalDouble.of(eps.getAsDouble() / vcpus) : OptionalDouble.empty();
    }

    /** A distributed run's DSM page transfers, all nodes (grants received, from a node's own home included). */
    OptionalLong pageTransfers() {
        return json != null && json.has("pageTransfers") ? OptionalLong.of(json.path("pageTransfers").asLong()) : OptionalLong.empty();
    }

    /** Page transfers per second of the whole run as the I/O node timed it (boot included). */
    OptionalDouble pageTransfersPerSecond() {
        return json != null && json.has("pageTransfersPerSecond")
                ? OptionalDouble.of(json.path("pageTransfersPerSecond").asDouble()) : OptionalDouble.empty();
    }

    /** Page requests the nodes served for another node (as home or owner): faults that crossed the network. */
    OptionalLong remoteRequestsServed() {
        return json != null && json.has("remoteRequestsServed")
                ? OptionalLong.of(json.path("remoteRequestsServed").asLong()) : OptionalLong.empty();
    }

    /** Why the run is not ok, in one line: its own check's problems, else its last words on stderr. */
    String problem() {
        List<String> p = new ArrayList<>();
        if (json != null) {
            json.path("problems").forEach(n -> p.add(n.asText()));
        }
        if (p.isEmpty() && !lastLines.isEmpty()) {
            p.add(lastLines.getLast());
        }
        return "exit " + exitCode + (p.isEmpty() ? "" : ": " + String.join("; ", p));
    }
}
