package io.giantvm.engine.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The paper's table from {@code bench paper}'s runs: per test the one-node events/s, each N-node run's events/s and
 * its ratio per vCPU to the one-node run, and GiantVM's published ratio beside them; the N-node runs' DSM figures;
 * and notes on what the figures mean (oversubscribed cores, failed runs, what is not run).
 *
 * @param results the one-node run first, then the N-node run(s)
 */
record PaperTable(List<PaperRunResult> results, PaperHost host, int seconds) {
    /** Issue 12's goal: with NUMA on, local write per vCPU on N nodes at least this share of one node's. */
    static final double LOCAL_WRITE_GOAL = 0.9;

    PaperTable {
        if (results.isEmpty() || !results.getFirst().run().baseline()) {
            throw new IllegalArgumentException("the one-node run comes first");
        }
        results = List.copyOf(results);
    }

    PaperRunResult baseline() {
        return results.getFirst();
    }

    /** The N-node runs, in the order they ran. */
    List<PaperRunResult> columns() {
        return results.subList(1, results.size());
    }

    /** N-node events/s per vCPU over one-node events/s per vCPU; empty where either run has no figure. */
    OptionalDouble ratio(String test, PaperRunResult column) {
        OptionalDouble n = column.perVcpu(test);
        OptionalDouble one = baseline().perVcpu(test);
        return n.isPresent() && one.isPresent() && one.getAsDouble() > 0
                ? OptionalDouble.of(n.getAsDouble() / one.getAsDouble()) : OptionalDouble.empty();
    }

    /** Whether this host's cores are too few for the N-node runs (then the absolute figures mean little). */
    boolean oversubscribed() {
        return columns().stream().anyMatch(c ->
                Oversubscription.withEngineThreads(c.run().nodes(), c.run().vcpus(), host.cores()));
    }

    boolean allOk() {
        return results.stream().allMatch(PaperRunResult::ok);
    }

    /** The NUMA-on run's local-write ratio, which issue 12 sets its goal on. */
    OptionalDouble localWriteWithNuma() {
        return columns().stream().filter(c -> c.run().numa().orElse(false)).findFirst()
                .map(c -> ratio("memory-write-local", c)).orElse(OptionalDouble.empty());
    }

    void print(PrintStream out) {
        PaperRun one = baseline().run();
        PaperRun many = columns().isEmpty() ? one : columns().getFirst().run();
        out.println();
        out.printf("bench paper: sysbench inside the Linux guest, %s vs %s, %d s per test%n", one.shape(), many.shape(), seconds);
        out.println(host.heading());
        out.println();
        String star = oversubscribed() ? " *" : "";
        StringBuilder h1 = new StringBuilder(String.format(Locale.ROOT, "%-20s %15s", "", one.column()));
        StringBuilder h2 = new StringBuilder(String.format(Locale.ROOT, "%-20s %15s", "test", "events/s" + star));
        for (PaperRunResult c : columns()) {
            h1.append(String.format(Locale.ROOT, " %15s %9s", c.run().column(), ""));
            h2.append(String.format(Locale.ROOT, " %15s %9s", "events/s" + star, "ratio"));
        }
        h1.append(String.format(Locale.ROOT, " %9s", "GiantVM"));
        h2.append(String.format(Locale.ROOT, " %9s", "TURC'19"));
        out.println(h1.toString().stripTrailing());
        out.println(h2);
        for (String test : PaperRun.TESTS) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-20s %15s", test, events(baseline(), test)));
            for (PaperRunResult c : columns()) {
                row.append(String.format(Locale.ROOT, " %15s %9s", events(c, test), ratio(ratio(test, c))));
            }
            row.append(String.format(Locale.ROOT, " %9s", ratio(PaperFigures.ratio(test))));
            out.println(row);
        }
        printDsm(out);
        localWriteWithNuma().ifPresent(r -> out.printf(Locale.ROOT,
                "%nissue 12's goal, memory-write-local per vCPU with NUMA on >= %.1f of one node: %s (%.2f; GiantVM %.2f without NUMA)%n",
                LOCAL_WRITE_GOAL, r >= LOCAL_WRITE_GOAL ? "MET" : "MISSED", r, PaperFigures.ratio("memory-write-local").orElseThrow()));
        out.println();
        notes().forEach(n -> out.println("note: " + n));
    }

    private void printDsm(PrintStream out) {
        if (columns().stream().noneMatch(c -> c.pageTransfers().isPresent())) {
            return;
        }
        out.println();
        StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "%-40s", "DSM over the whole run (boot included)"));
        StringBuilder transfers = new StringBuilder(String.format(Locale.ROOT, "%-40s", "page transfers"));
        StringBuilder perSecond = new StringBuilder(String.format(Locale.ROOT, "%-40s", "page transfers/s"));
        StringBuilder remote = new StringBuilder(String.format(Locale.ROOT, "%-40s", "faults served for another node"));
        for (PaperRunResult c : columns()) {
            h.append(String.format(Locale.ROOT, " %12s", c.run().column()));
            transfers.append(String.format(Locale.ROOT, " %12s", count(c.pageTransfers())));
            perSecond.append(String.format(Locale.ROOT, " %12s", c.pageTransfersPerSecond().isPresent()
                    ? String.format(Locale.ROOT, "%,.1f", c.pageTransfersPerSecond().getAsDouble()) : "-"));
            remote.append(String.format(Locale.ROOT, " %12s", count(c.remoteRequestsServed())));
        }
        List.of(h, transfers, perSecond, remote).forEach(out::println);
    }

    List<String> notes() {
        List<String> n = new ArrayList<>();
        if (oversubscribed()) {
            PaperRun r = columns().getFirst().run();
            n.add(String.format(Locale.ROOT, "* %d nodes x %d vCPUs + %d engine DSM/mesh threads > %d cores on this host: oversubscribed;"
                            + " the absolute figures are NOT comparable with the paper's (nor with separate machines); the ratios are the result",
                    r.nodes(), r.vcpusPerNode(), r.nodes(), host.cores()));
        }
        n.add("ratio = N-node events/s per vCPU / 1-node events/s per vCPU (both runs have the same vCPUs in all,"
                + " so it is also the throughput ratio)");
        n.add("GiantVM TURC'19 column: the published ratios (" + PaperFigures.SOURCE + "); its fileio ratio (" + PaperFigures.FILEIO + ") has no row here:"
                + " fileio is not run, the guest has no disk (its initramfs lives in RAM)");
        n.add("memory-read-global / memory-write-local: sysbench memory, 4 KiB blocks, read of one buffer all threads share /"
                + " write of a buffer per thread; mutex does a fixed amount of work per thread, so its events/s is threads / time taken");
        if (columns().stream().anyMatch(c -> c.pageTransfers().isPresent())) {
            n.add("page transfers: DSM grants the nodes received (from a node's own home too); faults served for another"
                    + " node: page requests a node answered as home or owner for a peer, i.e. that crossed the network");
        }
        for (PaperRunResult r : results) {
            if (!r.ok()) {
                n.add("run '" + r.run().label() + "' failed (" + r.problem() + "); its columns show what it reported");
            }
        }
        return n;
    }

    ObjectNode json() {
        ObjectNode root = NodeStatsJson.MAPPER.createObjectNode();
        root.put("date", host.started().toString());
        root.put("host", host.name());
        root.put("cores", host.cores());
        root.put("loadAverageStart", host.loadAtStart());
        root.put("loadAverageEnd", host.loadAtEnd());
        root.put("seconds", seconds);
        root.put("oversubscribed", oversubscribed());
        root.put("ok", allOk());
        ArrayNode runs = root.putArray("runs");
        for (PaperRunResult r : results) {
            ObjectNode o = runs.addObject().put("label", r.run().label()).put("column", r.run().column())
                    .put("nodes", r.run().nodes()).put("vcpusPerNode", r.run().vcpusPerNode())
                    .put("exitCode", r.exitCode()).put("ok", r.ok());
            r.run().numa().ifPresent(on -> o.put("numa", on));
            if (!r.ok()) {
                o.put("problem", r.problem());
            }
            r.pageTransfers().ifPresent(v -> o.put("pageTransfers", v));
            r.pageTransfersPerSecond().ifPresent(v -> o.put("pageTransfersPerSecond", v));
            r.remoteRequestsServed().ifPresent(v -> o.put("remoteRequestsServed", v));
        }
        ArrayNode tests = root.putArray("tests");
        for (String test : PaperRun.TESTS) {
            ObjectNode t = tests.addObject().put("test", test);
            baseline().eventsPerSecond(test).ifPresent(v -> t.put("oneNodeEventsPerSecond", v));
            ArrayNode cols = t.putArray("nodes");
            for (PaperRunResult c : columns()) {
                ObjectNode col = cols.addObject().put("column", c.run().column());
                c.eventsPerSecond(test).ifPresent(v -> col.put("eventsPerSecond", v));
                ratio(test, c).ifPresent(v -> col.put("ratioPerVcpu", v));
            }
            PaperFigures.ratio(test).ifPresent(v -> t.put("giantvm", v));
        }
        notes().forEach(root.putArray("notes")::add);
        return root;
    }

    private static String events(PaperRunResult r, String test) {
        OptionalDouble v = r.eventsPerSecond(test);
        return v.isPresent() ? String.format(Locale.ROOT, "%,.2f", v.getAsDouble()) : r.ok() ? "-" : "failed";
    }

    private static String ratio(OptionalDouble v) {
        return v.isPresent() ? String.format(Locale.ROOT, "%.2f", v.getAsDouble()) : "-";
    }

    private static String count(OptionalLong v) {
        return v.isPresent() ? String.format(Locale.ROOT, "%,d", v.getAsLong()) : "-";
    }
}
