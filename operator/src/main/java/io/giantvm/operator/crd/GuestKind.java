package io.giantvm.operator.crd;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Which guest the VM boots; the VM description's {@code guest.kind}. */
public enum GuestKind {
    /** The engine's own SMP test guest running {@code spec.workload} (what a VM without spec.guest runs). */
    @JsonProperty("bundled-test") BUNDLED_TEST("bundled-test"),
    /** The Linux kernel and initramfs that come with the node image; /init runs sysbench and powers off. */
    @JsonProperty("bundled-linux") BUNDLED_LINUX("bundled-linux"),
    /** The user's kernel (and initrd) from a volume. */
    @JsonProperty("kernel") KERNEL("kernel");

    private final String wire;

    GuestKind(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** Linux guests take a command line, sysbench tests and a time window; the test guest takes a workload. */
    public boolean linux() {
        return this != BUNDLED_TEST;
    }
}
