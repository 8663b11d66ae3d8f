package io.giantvm.engine.linux;

/** One sysbench test as the guest's /init reported it; latencies in milliseconds. */
public record SysbenchResult(String test, int threads, long events, double seconds, double eventsPerSecond,
                             double latencyMinMs, double latencyAvgMs, double latencyMaxMs, double latencyP95Ms) {
}
