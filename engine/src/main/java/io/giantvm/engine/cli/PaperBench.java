package io.giantvm.engine.cli;

import io.giantvm.engine.config.GuestSpec;
import io.giantvm.engine.guest.Sizes;
import io.giantvm.engine.kvm.Kvm;
import io.giantvm.engine.linux.DefaultLinuxGuest;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code giantvm bench paper}: GiantVM's TURC'19 table reproduced on this host. The default Linux guest runs the
 * paper's sysbench tests on 1 node x K vCPUs and on N nodes x K/N vCPUs (with NUMA on, off, or both), each run a
 * {@code giantvm run --json} child process of its own; then one table of both, the ratios per vCPU beside the
 * paper's, and optionally a PNG chart of the ratios.
 */
final class PaperBench {
    static final String USAGE = """
            giantvm bench paper [--nodes N] [--vcpus K] [--time S] [--numa on|off|both] [--memory SIZE] [--timeout S] [--png FILE] [--json]
              the TURC'19 paper's table: sysbench memory (4 KiB, global read / local write), mutex, cpu and threads inside
              the default Linux guest on 1 node x K vCPUs (default 2) and on N nodes x K/N vCPUs (default 2 nodes), the
              N-node run with NUMA on and off (default both); each run a child 'giantvm run --json' with its own --timeout
              (default 1800 s); prints per test both events/s, the ratio per vCPU and GiantVM's published ratio;
              --png FILE: a bar chart of the ratios; --json: the table as JSON. Needs hardware KVM (PVM is refused)""";

    private PaperBench() {}

    static int execute(List<String> args, PrintStream out, PrintStream err) throws InterruptedException {
        PaperOptions o = PaperOptions.parse(args);
        List<PaperRun> plan = PaperRun.plan(o);
        // What every run would find wrong is said once, before any: a PVM host, no /dev/kvm, too little memory for the
        // kernel and initrd where the strictest run loads them (node 0's home when NUMA is on).
        long memory = Sizes.parse("memory", o.memory());
        long bootRangeEnd = plan.stream().mapToLong(r -> r.bootRangeEnd(memory)).min().orElseThrow();
        LinuxGuestFiles guest = LinuxGuestFiles.prepare(GuestSpec.bundledLinux(PaperRun.TESTS, o.seconds(), Optional.empty()),
                memory, bootRangeEnd, false);
        try (Kvm ignored = Kvm.open()) {
            // each run opens its own
        }
        // The guest is built (or found) once, here: no child runs build-guest.sh again.
        Map<String, String> env = Map.of(DefaultLinuxGuest.PREBUILT_ENV, guest.kernelPath().toAbsolutePath().getParent().toString());
        Path logs = logDirectory();
        err.printf("bench paper: %d runs of %s, %d s per test; each run's output is logged in %s%n", plan.size(),
                String.join(",", PaperRun.TESTS), o.seconds(), logs);
        PaperHost host = PaperHost.begin();
        List<PaperRunResult> results = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            PaperRun run = plan.get(i);
            String tag = "bench paper [%d/%d %s]:".formatted(i + 1, plan.size(), run.label());
            Path log = logs.resolve("run-%d-%s.log".formatted(i + 1, run.column().replace(' ', '-')));
            err.println(tag + " giantvm " + String.join(" ", run.runArguments(o)));
            long start = System.nanoTime();
            PaperRunResult r = PaperChild.execute(run, o, env, log, tag, err);
            err.printf("%s ended, exit %d, %d s%s%n", tag, r.exitCode(), (System.nanoTime() - start) / 1_000_000_000L,
                    r.ok() ? "" : " (" + r.problem() + "; log " + log + ")");
            results.add(r);
        }
        PaperTable table = new PaperTable(results, host.end(), o.seconds());
        if (o.json()) {
            out.println(table.json().toPrettyString());
        } else {
            table.print(out);
        }
        if (o.png().isPresent()) {
            try {
                PaperChart.write(table, o.png().get());
            } catch (IOException e) {
                err.println("bench paper: cannot write the chart to " + o.png().get() + ": " + e.getMessage());
                return Main.EXIT_FAILED;
            }
            err.printf("bench paper: chart of %d bars written to %s%n", PaperChart.bars(PaperChart.series(table)), o.png().get());
        }
        return table.allOk() ? Main.EXIT_OK : Main.EXIT_FAILED;
    }

    private static Path logDirectory() {
        try {
            return Files.createTempDirectory("giantvm-paper-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a directory for the runs' logs: " + e.getMessage(), e);
        }
    }
}
