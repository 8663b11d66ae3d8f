package io.giantvm.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.giantvm.engine.guest.ExpectedChecksums;
import io.giantvm.engine.guest.WorkloadSpec;
import io.giantvm.engine.vm.KvmRequirement;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Shared by the distributed KVM integration tests: the KVM gate and running {@code giantvm} in this JVM. */
abstract class DistributedRunBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void needsKvm() {
        KvmRequirement.assumeKvm();
    }

    /** Output of one {@code giantvm} invocation in this JVM (its node processes are real processes). */
    record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }

        long summary() throws Exception {
            JsonNode total = json().path("total");
            for (var e : total.properties()) {
                if (e.getKey().startsWith("final")) {
                    return Long.parseUnsignedLong(e.getValue().asText());
                }
            }
            throw new AssertionError("no final figure in " + total + "\nstderr:\n" + err);
        }

        /** Transfers of pages at or above {@code from}: workload data, without the page tables every walk touches. */
        long pageTransfersFrom(long from) throws Exception {
            long n = 0;
            for (JsonNode node : json().path("nodes")) {
                for (var e : node.path("movedPages").properties()) {
                    if (Long.decode(e.getKey()) >= from) {
                        n += e.getValue().asLong();
                    }
                }
            }
            return n;
        }

        /** Transfers of one page, summed over the nodes' most-moved-pages lists. */
        long transfersOf(long page) throws Exception {
            long n = 0;
            for (JsonNode node : json().path("nodes")) {
                for (var e : node.path("movedPages").properties()) {
                    if (Long.decode(e.getKey()) == page) {
                        n += e.getValue().asLong();
                    }
                }
            }
            return n;
        }

        /** The span in which all vCPUs ran, of the longest run. */
        double overlap() throws Exception {
            return json().path("overlap").asDouble(Double.NaN);
        }

        /** What every vCPU did, summed (events in time-window mode). */
        long summedOperations() throws Exception {
            long n = 0;
            for (JsonNode row : json().path("perVcpu")) {
                n += Long.parseUnsignedLong(row.path("operations").asText());
            }
            return n;
        }

        /** The most that time ran backwards between two vCPUs in the guest's TSC probes, in microseconds. */
        double tscBackwardsMicros() throws Exception {
            double worst = 0;
            for (JsonNode p : json().path("tscSkew")) {
                worst = Math.max(worst, p.path("backwardsMicros").asDouble());
            }
            return worst;
        }

        long pageTransfers() throws Exception {
            long n = 0;
            for (JsonNode node : json().path("nodes")) {
                n += node.path("pageTransfers").asLong();
            }
            return n;
        }
    }

    static Run giantvm(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8); PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = Main.run(List.of(args), o, e);
        }
        Run r = new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        System.out.println("giantvm " + String.join(" ", args) + " -> exit " + exit + "\n" + r.err() + r.out());
        return r;
    }

    static Optional<ProcessHandle> nodeProcess(int id) {
        List<ProcessHandle> found = new ArrayList<>();
        ProcessHandle.current().children().forEach(p -> {
            String[] args = p.info().arguments().orElse(new String[0]);
            List<String> a = List.of(args);
            int i = a.indexOf("--id");
            if (a.contains("node") && i >= 0 && i + 1 < a.size() && a.get(i + 1).equals(String.valueOf(id))) {
                found.add(p);
            }
        });
        return found.stream().findFirst();
    }

    static String[] concat(String[] a, String[] b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
