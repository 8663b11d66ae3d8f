package io.giantvm.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.Objects;

/** One sysbench test as the guest reported it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SysbenchStatus {
    @JsonPropertyDescription("cpu, memory, mutex, threads, memory-read-global or memory-write-local.")
    public String test;

    @JsonPropertyDescription("Events counted over the run (all threads).")
    public Long events;

    public Double eventsPerSecond;

    @JsonPropertyDescription("Average latency of one event, milliseconds.")
    public Double latencyAvgMs;

    @JsonPropertyDescription("95th percentile latency of one event, milliseconds.")
    public Double latencyP95Ms;

    @Override
    public boolean equals(Object o) {
        return o instanceof SysbenchStatus s && Objects.equals(test, s.test) && Objects.equals(events, s.events)
                && Objects.equals(eventsPerSecond, s.eventsPerSecond) && Objects.equals(latencyAvgMs, s.latencyAvgMs)
                && Objects.equals(latencyP95Ms, s.latencyP95Ms);
    }

    @Override
    public int hashCode() {
        return Objects.hash(test, events);
    }

    @Override
    public String toString() {
        return test + " " + events + " events, " + eventsPerSecond + "/s, avg " + latencyAvgMs + " ms, p95 "
                + latencyP95Ms + " ms";
    }
}
