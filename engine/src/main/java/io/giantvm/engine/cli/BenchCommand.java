package io.giantvm.engine.cli;

import io.giantvm.engine.dsm.bench.DsmLatencyBench;

import java.io.PrintStream;
import java.util.List;

/** {@code giantvm bench NAME}: benchmarks that print their figures (never pass/fail). */
final class BenchCommand {
    static final String USAGE = """
            giantvm bench dsm-latency
              in one run: a locally resolved userfaultfd fault and a TCP 4 KiB ping-pong between two processes
              (the floors), remote read and write faults between two DSM nodes (median, p99), and the ratio
              remote-read-median / (uffd floor + TCP floor)""";

    private BenchCommand() {}

    static int execute(List<String> args, PrintStream out) throws InterruptedException {
        if (args.size() != 1 || !args.getFirst().equals("dsm-latency")) {
            throw new UsageException("bench takes one benchmark name: dsm-latency");
        }
        try {
            DsmLatencyBench.run(out);
        } catch (InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) { // the benchmark's own processes or sockets failed: keep the trace
            throw new IllegalStateException("the dsm-latency benchmark failed", e);
        }
        return Main.EXIT_OK;
    }
}
