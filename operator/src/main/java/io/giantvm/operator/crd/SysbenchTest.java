package io.giantvm.operator.crd;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The sysbench tests the bundled Linux guest's /init can run (the engine's --sysbench values). */
public enum SysbenchTest {
    @JsonProperty("cpu") CPU("cpu"),
    @JsonProperty("memory") MEMORY("memory"),
    @JsonProperty("mutex") MUTEX("mutex"),
    @JsonProperty("threads") THREADS("threads"),
    /** sysbench memory, 4 KiB blocks, global read (the TURC'19 paper's memory test). */
    @JsonProperty("memory-read-global") MEMORY_READ_GLOBAL("memory-read-global"),
    /** sysbench memory, 4 KiB blocks, local write (the TURC'19 paper's memory test). */
    @JsonProperty("memory-write-local") MEMORY_WRITE_LOCAL("memory-write-local");

    private final String wire;

    SysbenchTest(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
