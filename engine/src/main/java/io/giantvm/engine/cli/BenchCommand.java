package io.giantvm.engine.cli;

import io.giantvm.engine.dsm.bench.DsmLatencyBench;

import io.giantvm.engine.os.CpuAffinity;
import java.io.PrintStream;
import java.util.BitSet;
import java.util.List;

/** {@code giantvm bench NAME}: benchmarks that print their figures (never pass/fail). */
final class BenchCommand {
    static final String USAGE = """
            giantvm bench dsm-latency [--runs N] [--placement shared|spread|both]
              N runs (default 3), each: a locally resolved userfaultfd fault, a TCP 4 KiB ping-pong between two
              processes, and the two in one (a fault whose handler makes the round trip: the remote-fault floor), the
              mesh's request/reply, remote read and write faults between two DSM nodes (median, p99) and the ratio
              remote-read-median / remote-fault floor; then a table of all runs and per placement a verdict against
              the goals (<= 1.5; mesh request/reply <= 1.3 x TCP floor)
              --placement  the node processes share one core, each has its own, or both in turn (default both);
                           every process is pinned, the floors' too, because placement moves the figures several-fold
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
        DsmLatencyOptions options = DsmLatencyOptions.parse(args.subList(1, args.size()));
        BitSet allowed = CpuAffinity.allowed();
        if (options.placements().stream().noneMatch(p -> p.possibleOn(allowed))) {
            throw new UsageException("--placement spread needs 2 CPUs; this process may run on " + allowed.cardinality());
        }
        try {
            DsmLatencyBench.run(out, options.runs(), options.placements());
        } catch (InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) { // the benchmark's own processes or sockets failed: keep the trace
            throw new IllegalStateException("the dsm-latency benchmark failed", e);
        }
        return Main.EXIT_OK;
    }
}
