package io.giantvm.engine.cpu;

/** The guest stopped in a way only a broken guest can: triple fault, emulation failure, failed entry. */
public final class GuestCrashException extends RuntimeException {
    private final int vcpu;
    private final long rip;

    public GuestCrashException(int vcpu, long rip, String reason) {
        super("guest crashed on vCPU %d at RIP 0x%x: %s".formatted(vcpu, rip, reason));
        this.vcpu = vcpu;
        this.rip = rip;
    }

    public int vcpu() {
        return vcpu;
    }

    public long rip() {
        return rip;
    }
}
