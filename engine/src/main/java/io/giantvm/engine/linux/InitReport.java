package io.giantvm.engine.linux;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the default guest's /init printed as {@code @@GIANTVM} lines (format: {@code init.sh}'s header):
 * the uptime at which /init started, nproc, the kernel release, the NUMA nodes, each sysbench test, errors,
 * and the final status. Lines are fed one at a time as the console produces them; thread-safe.
 */
public final class InitReport {
    static final String PREFIX = "@@GIANTVM ";

    private Double bootSeconds;
    private Integer nproc;
    private String kernel;
    private Integer doneStatus;
    private final List<SysbenchResult> sysbench = new ArrayList<>();
    private final List<NumaNodeReport> numaNodes = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final List<String> lines = new ArrayList<>();

    /** Takes one console line; anything that is not an {@code @@GIANTVM} line is ignored. */
    public synchronized void accept(String line) {
        int at = line.indexOf(PREFIX);
        if (at < 0) {
            return;
        }
        String rest = line.substring(at + PREFIX.length()).strip();
        lines.add(line.substring(at));
        String kind = rest.split(" ", 2)[0];
        Map<String, String> f = fields(rest);
        try {
            switch (kind) {
                case "init" -> {
                    bootSeconds = Double.parseDouble(f.get("uptime"));
                    nproc = Integer.parseInt(f.get("nproc"));
                    kernel = f.get("kernel");
                }
                case "sysbench" -> sysbench.add(new SysbenchResult(f.get("test"), Integer.parseInt(f.get("threads")),
                        Long.parseLong(f.get("events")), num(f, "time_s"), num(f, "events_per_s"), num(f, "lat_min_ms"),
                        num(f, "lat_avg_ms"), num(f, "lat_max_ms"), num(f, "lat_p95_ms")));
                case "numa" -> numaNodes.add(new NumaNodeReport(Integer.parseInt(f.get("node")), f.get("cpus"),
                        Long.parseLong(f.get("mem_kb")), f.getOrDefault("distance", "")));
                case "done" -> doneStatus = Integer.parseInt(f.get("status"));
                case "shell" -> { } // input waits for the shell's prompt instead (PromptWatch)
                case "error" -> errors.add(rest.substring("error".length()).strip());
                default -> { }
            }
        } catch (RuntimeException e) { // a garbled line (console output interleaved): say so, never crash on it
            errors.add("unparsable report line: " + rest);
        }
    }

    private static double num(Map<String, String> f, String key) {
        String v = f.get(key);
        return v == null || v.isEmpty() ? Double.NaN : Double.parseDouble(v);
    }

    private static Map<String, String> fields(String rest) {
        Map<String, String> m = new HashMap<>();
        for (String token : rest.split("\\s+")) {
            int eq = token.indexOf('=');
            if (eq > 0) {
                m.put(token.substring(0, eq), token.substring(eq + 1));
            }
        }
        return m;
    }

    /** Seconds of guest uptime when /init started (the kernel's boot time), or null if /init never ran. */
    public synchronized Double bootSeconds() {
        return bootSeconds;
    }

    public synchronized Integer nproc() {
        return nproc;
    }

    public synchronized String kernel() {
        return kernel;
    }

    /** The status /init reported before powering off, or null if it never got there. */
    public synchronized Integer doneStatus() {
        return doneStatus;
    }

    public synchronized List<SysbenchResult> sysbench() {
        return List.copyOf(sysbench);
    }

    /** The guest's NUMA nodes in the order /init listed them (empty: an /init that does not report them). */
    public synchronized List<NumaNodeReport> numaNodes() {
        return List.copyOf(numaNodes);
    }

    /**
     * The {@code @@GIANTVM} lines taken so far, as they came: another process feeds them to its own report
     * (a distributed run's launcher gets them from the I/O node).
     */
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    public synchronized List<String> errors() {
        return List.copyOf(errors);
    }
}
