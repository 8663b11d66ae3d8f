package io.giantvm.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.giantvm.engine.linux.DefaultLinuxGuest;
import io.giantvm.engine.linux.HostSysbench;
import io.giantvm.engine.linux.SysbenchResult;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code giantvm bench sysbench}: the default Linux guest's sysbench tests inside the VM, then the same binary
 * (same libraries, same thread count and duration) on this host, and the ratio per test. The VM run goes
 * through {@code giantvm run --guest linux --json} itself, so the figures are the product's, not a side path's.
 */
final class SysbenchBench {
    static final String USAGE = """
            giantvm bench sysbench [--vcpus N] [--memory SIZE] [--sysbench cpu,memory,mutex,threads] [--time S]
              each test inside the default Linux guest on N vCPUs (default 2) and then on this host with N threads,
              the same sysbench binary and libraries; prints events/s and p95 latency of both and VM / host""";

    private static final Set<String> VALUED = Set.of("vcpus", "memory", "sysbench", "time");

    private SysbenchBench() {}

    static int execute(List<String> args, PrintStream out, PrintStream err) throws InterruptedException {
        Options o = Options.parse("bench sysbench", args, VALUED, Set.of(), Set.of());
        int vcpus = o.getInt("vcpus", 2, 1, LinuxRunCommand.MAX_VCPUS);
        int seconds = o.getInt("time", LinuxRunCommand.DEFAULT_SYSBENCH_SECONDS, 1, 3600);
        List<String> runArgs = new ArrayList<>(List.of("--guest", "linux", "--vcpus", Integer.toString(vcpus),
                "--memory", o.get("memory", "1G"), "--time", Integer.toString(seconds), "--json"));
        if (o.has("sysbench")) {
            runArgs.addAll(List.of("--sysbench", o.get("sysbench", "")));
        }
        err.printf("bench sysbench: 1/2 inside the VM (%d vCPUs, %d s per test); the guest console follows%n", vcpus, seconds);
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        int rc = LinuxRunCommand.execute(runArgs, InputStream.nullInputStream(), new PrintStream(json, true, StandardCharsets.UTF_8), err);
        if (rc != Main.EXIT_OK) {
            err.println("bench sysbench: the VM run failed (exit " + rc + "), so there is nothing to compare");
            return rc;
        }
        Map<String, SysbenchResult> vm = guestResults(json.toString(StandardCharsets.UTF_8));
        Map<String, SysbenchResult> host = new LinkedHashMap<>();
        try (HostSysbench sysbench = HostSysbench.unpack(DefaultLinuxGuest.ensureBuilt().initrd())) {
            for (String test : vm.keySet()) {
                err.printf("bench sysbench: 2/2 on the host: %s, %d threads, %d s%n", test, vcpus, seconds);
                host.put(test, sysbench.run(test, vcpus, seconds));
            }
        }
        print(vm, host, vcpus, out);
        return Main.EXIT_OK;
    }

    private static Map<String, SysbenchResult> guestResults(String json) {
        try {
            Map<String, SysbenchResult> byTest = new LinkedHashMap<>();
            for (JsonNode t : new ObjectMapper().readTree(json).get("sysbench")) {
                byTest.put(t.get("test").asText(), new SysbenchResult(t.get("test").asText(), t.get("threads").asInt(),
                        t.get("events").asLong(), t.get("seconds").asDouble(), t.get("eventsPerSecond").asDouble(),
                        t.get("latencyMinMs").asDouble(), t.get("latencyAvgMs").asDouble(), t.get("latencyMaxMs").asDouble(),
                        t.get("latencyP95Ms").asDouble()));
            }
            return byTest;
        } catch (IOException e) {
            throw new IllegalStateException("giantvm run --json printed something that is not its JSON", e);
        }
    }

    static void print(Map<String, SysbenchResult> vm, Map<String, SysbenchResult> host, int threads, PrintStream out) {
        out.println();
        out.printf("sysbench inside the VM vs the same binary on this host, %d threads each (%d host cores)%n",
                threads, Runtime.getRuntime().availableProcessors());
        out.printf("%-8s %14s %14s %9s %13s %13s%n", "test", "VM events/s", "host events/s", "VM/host", "VM p95 ms", "host p95 ms");
        for (var e : vm.entrySet()) {
            SysbenchResult v = e.getValue();
            SysbenchResult h = host.get(e.getKey());
            out.printf("%-8s %14.2f %14.2f %9.3f %13.2f %13.2f%n", e.getKey(), v.eventsPerSecond(), h.eventsPerSecond(),
                    h.eventsPerSecond() > 0 ? v.eventsPerSecond() / h.eventsPerSecond() : Double.NaN,
                    v.latencyP95Ms(), h.latencyP95Ms());
        }
        if (threads > Runtime.getRuntime().availableProcessors()) {
            out.println("note: more threads than host cores: both sides share the cores, the VM's vCPUs with its own engine threads");
        }
    }
}
