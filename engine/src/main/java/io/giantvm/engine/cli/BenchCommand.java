package io.giantvm.engine.cli;

import io.giantvm.engine.dsm.bench.DsmLatencyBench;

import java.io.PrintStream;
import java.util.List;

/** {@code giantvm bench NAME}: benchmarks that print their figures (never pass/fail). */
final class BenchCommand {
    static final String USAGE = """
            giantvm bench dsm-latency [--runs N]
              N runs (default 3), each: a locally resolved userfaultfd fault and a TCP 4 KiB ping-pong between two
              processes (the floors), the mesh's request/reply, remote read and write faults between two DSM nodes
              (median, p99) and the ratio remote-read-median / (uffd floor + TCP floor); then the median ratios
              and a verdict against the goals (<= 1.5; mesh request/reply <= 1.3 x TCP floor)
            """ + SysbenchBench.USAGE + "\n" + PaperBench.USAGE;

    private BenchCommand() {}

    static int execute(List<String> args, PrintStream out, PrintStream err) throws InterruptedException {
        String name = args.isEmpty() ? "" : args.getFirst();
        return switch (name) {
            case "dsm-latency" -> dsmLatency(args, out);
            case "sysbench" -> SysbenchBench.execute(args.subList(1, args.size()), out, err);
            case "paper" -> PaperBench.execute(args.subList(1, args.size()), out, err);
            default -> throw new UsageException("bench takes one benchmark name: dsm-latency, sysbench or paper");
        };
    }

    private static int dsmLatency(List<String> args, PrintStream out) throws InterruptedException {
        int runs = runs(args.subList(1, args.size()));
        try {
            DsmLatencyBench.run(out, runs);
        } catch (InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) { // the benchmark's own processes or sockets failed: keep the trace
            throw new IllegalStateException("the dsm-latency benchmark failed", e);
        }
        return Main.EXIT_OK;
    }

    /** {@code [--runs N]}, N from 1 to {@link #MAX_RUNS}; anything else is a usage error. */
    static int runs(List<String> options) {
        if (options.isEmpty()) {
            return DEFAULT_RUNS;
        }
        if (options.size() != 2 || !options.getFirst().equals("--runs")) {
            throw new UsageException("bench dsm-latency takes only --runs N, got: " + String.join(" ", options));
        }
        try {
            int n = Integer.parseInt(options.get(1));
            if (n >= 1 && n <= MAX_RUNS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--runs must be a whole number from 1 to " + MAX_RUNS + ", got: " + options.get(1));
    }

    static final int DEFAULT_RUNS = 3;
    /** Each run takes about a minute; more than this is a typo. */
    static final int MAX_RUNS = 50;
}
