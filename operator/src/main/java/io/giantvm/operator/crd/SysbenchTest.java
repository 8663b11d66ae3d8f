package io.giantvm.operator.crd;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The sysbench tests the bundled Linux guest's /init can run (the engine's --sysbench values). */
public enum SysbenchTest {
    @JsonProperty("cpu") CPU("cpu"),
    @JsonProperty("memory") MEMORY("memory"),
    @JsonProperty("mutex") MUTEX("mutex"),
    @JsonProperty("threads") THREADS("threads");

    private final String wire;

    SysbenchTest(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
