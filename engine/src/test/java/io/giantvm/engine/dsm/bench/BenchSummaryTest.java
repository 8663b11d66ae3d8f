package io.giantvm.engine.dsm.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BenchSummaryTest {
    /** A run whose remote-fault floor is the sum of its two floors, as on a host whose cores never idle. */
    private static RunFigures run(Placement p, int n, double uffd, double tcp, double mesh, double read) {
        return run(p, n, uffd, tcp, uffd + tcp, mesh, read);
    }

    private static RunFigures run(Placement p, int n, double uffd, double tcp, double floor, double mesh, double read) {
        return new RunFigures(p, n, uffd, tcp, 3 * tcp, floor, mesh, read, 2 * read, mesh);
    }

    @Test
    void steadyFloorsGiveAVerdictPerGoalFromTheMedianRatios() {
        List<RunFigures> runs = List.of(
                run(Placement.SHARED, 1, 6, 8, 12, 21),   // 1.50, 1.50
                run(Placement.SHARED, 2, 6, 8, 10, 16.8), // 1.20, 1.25
                run(Placement.SHARED, 3, 6, 8, 11, 28));  // 2.00, 1.375
        assertThat(BenchSummary.verdict(runs))
                .startsWith("remote read fault MEETS the goal, mesh request/reply MISSES the goal")
                .contains("remote read / floor 1.500").contains("mesh / tcp 1.375").contains("medians of 3 runs");
    }

    @Test
    void theReadIsHeldToTheRemoteFaultFloorMeasuredWholeNotToTheSumOfItsParts() {
        // Across cores the whole floor exceeds the sum: the peer's core idles while the fault is taken locally.
        List<RunFigures> runs = List.of(run(Placement.SPREAD, 1, 6, 20, 30, 22, 42), run(Placement.SPREAD, 2, 6, 20, 29, 22, 43));
        assertThat(runs.getFirst().sumRatio()).isGreaterThan(BenchSummary.FAULT_GOAL);
        assertThat(BenchSummary.verdict(runs)).startsWith("remote read fault MEETS the goal").contains("remote read / floor 1.441");
    }

    @Test
    void aRemoteFaultFloorThatMovedSeveralFoldGivesNoVerdict() {
        List<RunFigures> runs = List.of(run(Placement.SPREAD, 1, 6, 20, 30, 22, 42), run(Placement.SPREAD, 2, 6, 20, 75, 22, 43));
        assertThat(BenchSummary.verdict(runs)).startsWith("NONE: the remote-fault floor moved 2.5-fold between runs");
    }

    @Test
    void aFloorThatMovedSeveralFoldBetweenRunsGivesNoVerdict() {
        // What an unpinned run on the 2-core host printed: one TCP floor on a shared core, one across cores.
        List<RunFigures> runs = List.of(
                run(Placement.SPREAD, 1, 9.9, 9.1, 15.1, 29.7),
                run(Placement.SPREAD, 2, 8.7, 76.9, 28.5, 64.0),
                run(Placement.SPREAD, 3, 6.2, 14.4, 13.0, 71.7));
        assertThat(BenchSummary.verdict(runs))
                .startsWith("NONE: the TCP floor moved 8.5-fold between runs (9.1 to 76.9 µs)")
                .doesNotContain("MEETS").doesNotContain("MISSES");
    }

    @Test
    void everyFigureSitsUnderItsOwnHeading() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // A whole floor (90) unlike the floors' sum (66), so that read/floor and read/sum differ: 0.80 and 1.09.
        BenchSummary.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), List.of(run(Placement.SPREAD, 1, 6, 60, 90, 70, 72)));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        List<String> headings = List.of(lines.get(1).trim().split("\\s+")).subList(1, 13); // after "placement"
        String row = lines.get(2);
        List<String> values = List.of(row.substring(row.indexOf(Placement.SPREAD.description()) + Placement.SPREAD.description().length())
                .trim().split("\\s+"));
        assertThat(values).hasSameSizeAs(headings);
        Map<String, String> byHeading = new HashMap<>();
        for (int i = 0; i < headings.size(); i++) {
            byHeading.put(headings.get(i), values.get(i));
        }
        assertThat(byHeading).containsEntry("tcp", "60.0").containsEntry("floor", "90.0").containsEntry("mesh", "70.0")
                .containsEntry("read", "72.0").containsEntry("read/floor", "0.80").containsEntry("read/sum", "1.09")
                .containsEntry("mesh/tcp", "1.17");
    }

    @Test
    void theTableHasEveryRunAndEachPlacementItsOwnVerdict() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BenchSummary.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), List.of(
                run(Placement.SHARED, 1, 6, 8, 12, 21), run(Placement.SPREAD, 1, 6, 60, 70, 72)));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(6);
        assertThat(lines.get(2)).contains("nodes share one core").contains("1.50");
        assertThat(lines.get(3)).contains("each node on its own core").contains("1.09").contains("1.17");
        assertThat(lines.get(4)).startsWith("dsm-latency: verdict, nodes share one core: remote read fault MEETS");
        assertThat(lines.get(5)).startsWith("dsm-latency: verdict, each node on its own core: remote read fault MEETS");
    }

    @Test
    void sharedPutsEveryNodeOnTheFirstAllowedCpuAndSpreadDealsThemOut() {
        BitSet allowed = new BitSet();
        allowed.set(2);
        allowed.set(5);
        assertThat(List.of(0, 1, 2, 3).stream().map(n -> Placement.SHARED.cpuOf(n, allowed))).containsExactly(2, 2, 2, 2);
        assertThat(List.of(0, 1, 2, 3).stream().map(n -> Placement.SPREAD.cpuOf(n, allowed))).containsExactly(2, 5, 2, 5);
        BitSet one = new BitSet();
        one.set(0);
        assertThat(Placement.SPREAD.possibleOn(one)).isFalse();
        assertThat(Placement.SHARED.possibleOn(one)).isTrue();
    }
}
