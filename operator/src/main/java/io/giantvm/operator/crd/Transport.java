package io.giantvm.operator.crd;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the hypervisors' mesh talks; the VM description's {@code transport}. */
public enum Transport {
    @JsonProperty("tcp") TCP("tcp"),
    @JsonProperty("rdma") RDMA("rdma");

    private final String wire;

    Transport(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
