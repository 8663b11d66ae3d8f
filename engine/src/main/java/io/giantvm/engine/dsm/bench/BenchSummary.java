package io.giantvm.engine.dsm.bench;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The benchmark's closing lines: every run in one table, then per placement the median ratios and a verdict
 * against the goals. A verdict needs floors that held still: if a floor's median moved more than
 * {@link #STEADY_FLOOR} fold between runs, the runs measured different machines (another placement, a noisy
 * neighbour) and their ratios are not comparable, so it says that instead of MEETS or MISSES.
 */
final class BenchSummary {
    /** The goals: remote read fault within 1.5x of its floor; mesh request/reply within 1.3x of raw TCP. */
    static final double FAULT_GOAL = 1.5;
    static final double MESH_GOAL = 1.3;
    /** The most a floor's median may vary (max / min) across a placement's runs for its verdict to count. */
    static final double STEADY_FLOOR = 2.0;

    private BenchSummary() {}

    static void print(PrintStream out, List<RunFigures> runs) {
        out.println("dsm-latency: medians in µs; tcp: the asker polls as the mesh's requesters do, tcp-blk: both block (reference);"
                + " floor: a uffd fault whose handler makes the tcp round trip; read/sum: read over uffd + tcp (reference);"
                + " the ratios are the results (the absolute figures depend on the host)");
        out.printf("  %-26s %3s %6s %6s %7s %6s %6s %7s %7s %6s %10s %8s %8s%n", "placement", "run", "uffd", "tcp",
                "tcp-blk", "floor", "mesh", "read", "write", "port", "read/floor", "read/sum", "mesh/tcp");
        for (RunFigures r : runs) {
            out.printf("  %-26s %3d %6.1f %6.1f %7.1f %6.1f %6.1f %7.1f %7.1f %6.1f %10.2f %8.2f %8.2f%n",
                    r.placement().description(), r.run(), r.uffdFloor(), r.tcpFloor(), r.tcpBlocking(), r.faultFloor(),
                    r.mesh(), r.remoteRead(), r.remoteWrite(), r.forwardedPort(), r.faultRatio(), r.sumRatio(), r.meshRatio());
        }
        for (Placement p : Placement.values()) {
            List<RunFigures> of = runs.stream().filter(r -> r.placement() == p).toList();
            if (!of.isEmpty()) {
                out.println("dsm-latency: verdict, " + p.description() + ": " + verdict(of));
            }
        }
    }

    /** One placement's verdict line (without the prefix). */
    static String verdict(List<RunFigures> runs) {
        double fault = median(runs.stream().mapToDouble(RunFigures::faultRatio).toArray());
        double mesh = median(runs.stream().mapToDouble(RunFigures::meshRatio).toArray());
        String unsteady = unsteadyFloor("TCP", runs.stream().mapToDouble(RunFigures::tcpFloor).toArray());
        if (unsteady == null) {
            unsteady = unsteadyFloor("uffd", runs.stream().mapToDouble(RunFigures::uffdFloor).toArray());
        }
        if (unsteady == null) {
            unsteady = unsteadyFloor("remote-fault", runs.stream().mapToDouble(RunFigures::faultFloor).toArray());
        }
        // Three decimals: at two, a ratio of 1.503 would read "1.50 (goal <= 1.5)" beside MISSES.
        String figures = String.format("remote read / floor %.3f (goal <= %.1f), mesh / tcp %.3f (goal <= %.1f), medians of %d run%s",
                fault, FAULT_GOAL, mesh, MESH_GOAL, runs.size(), runs.size() == 1 ? "" : "s");
        if (unsteady != null) {
            return "NONE: " + unsteady + "; " + figures;
        }
        return "remote read fault " + (fault <= FAULT_GOAL ? "MEETS" : "MISSES") + " the goal, mesh request/reply "
                + (mesh <= MESH_GOAL ? "MEETS" : "MISSES") + " the goal; " + figures;
    }

    /** Why a floor is too unsteady for a verdict, or null if it held still. */
    private static String unsteadyFloor(String name, double[] medians) {
        double min = Arrays.stream(medians).min().orElseThrow();
        double max = Arrays.stream(medians).max().orElseThrow();
        if (max <= STEADY_FLOOR * min) {
            return null;
        }
        return String.format("the %s floor moved %.1f-fold between runs (%.1f to %.1f µs), so the runs are not comparable;"
                + " rerun on a quieter host", name, max / min, min, max);
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
