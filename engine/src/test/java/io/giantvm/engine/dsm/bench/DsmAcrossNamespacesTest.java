package io.giantvm.engine.dsm.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.giantvm.engine.mesh.NamespacePair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Two DSM nodes — real userfaultfd-backed memory, real TCP mesh — in two network namespaces joined by a veth pair,
 * so the nodes reach each other over a real link and not over loopback. Skipped, with the reason, where this
 * process may not create namespaces.
 */
class DsmAcrossNamespacesTest {
    private static final int ROUNDS = 300;

    @Test
    void twoNodesInTwoNamespacesPlayPingPongOnSharedPagesOverAVethLink() throws Exception {
        String why = NamespacePair.unavailableReason();
        if (why != null) {
            System.out.println("SKIPPED DsmAcrossNamespacesTest: " + why);
        }
        Assumptions.assumeTrue(why == null, why);

        try (NamespacePair pair = NamespacePair.create("gvm-dsm")) {
            List<String> addresses = List.of(NamespacePair.ADDRESS_A + ":7070", NamespacePair.ADDRESS_B + ":7070");
            List<Process> nodes = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    nodes.add(new ProcessBuilder(pair.inside(i, peer(i, addresses)))
                            .redirectError(ProcessBuilder.Redirect.INHERIT).start());
                }
                for (int i = 0; i < 2; i++) {
                    Process p = nodes.get(i);
                    assertThat(p.waitFor(150, TimeUnit.SECONDS)).as("node %d ended", i).isTrue();
                    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    System.out.print("node " + i + ": " + out);
                    assertThat(p.exitValue()).as("node %d exit status; printed: %s", i, out).isZero();
                    // Every increment needed the page the other node wrote last: both counters exact, pages moved.
                    assertThat(out).startsWith("final " + 2 * ROUNDS + " " + 2 * ROUNDS + " moves ");
                    long moves = Long.parseLong(out.strip().substring(out.lastIndexOf(' ') + 1));
                    assertThat(moves).as("pages granted to node %d", i).isGreaterThanOrEqualTo(ROUNDS);
                }
            } finally {
                for (Process p : nodes) {
                    p.destroyForcibly();
                }
            }
        }
    }

    private static List<String> peer(int self, List<String> addresses) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                PingPongDsmPeer.class.getName(), String.valueOf(self), String.valueOf(ROUNDS)));
        cmd.addAll(addresses);
        return cmd;
    }
}
