package io.giantvm.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What a Linux guest reported about itself (its I/O node's engine relays /init's report). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GuestStatus {
    @JsonPropertyDescription("The guest's OS with its kernel release, e.g. Linux 6.1.0-28-cloud-amd64.")
    public String os;

    @JsonPropertyDescription("CPUs the guest brought up (nproc); equals the VM's vCPUs when all came up.")
    public Integer nproc;

    @JsonPropertyDescription("The sysbench tests the guest ran, in order.")
    public List<SysbenchStatus> sysbench = new ArrayList<>();

    @Override
    public boolean equals(Object o) {
        return o instanceof GuestStatus g && Objects.equals(os, g.os) && Objects.equals(nproc, g.nproc)
                && Objects.equals(sysbench, g.sysbench);
    }

    @Override
    public int hashCode() {
        return Objects.hash(os, nproc, sysbench);
    }

    @Override
    public String toString() {
        return "os=" + os + " nproc=" + nproc + " sysbench=" + sysbench;
    }
}
