package io.giantvm.engine.cpu;

/** The guest stopped in a way only a broken guest can: triple fault, emulation failure, failed entry. */
public final class GuestCrashException extends RuntimeException {
    private final int vcpu;
    private final long rip;
    private final boolean shutdown;

    public GuestCrashException(int vcpu, long rip, String reason) {
        this(vcpu, rip, reason, false);
    }

    /** @param shutdown the crash is KVM's shutdown exit (a triple fault), which a guest also uses to restart */
    public GuestCrashException(int vcpu, long rip, String reason, boolean shutdown) {
        super("guest crashed on vCPU %d at RIP 0x%x: %s".formatted(vcpu, rip, reason));
        this.vcpu = vcpu;
        this.rip = rip;
        this.shutdown = shutdown;
    }

    /** Whether this was a triple fault (KVM_EXIT_SHUTDOWN). */
    public boolean isShutdown() {
        return shutdown;
    }

    public int vcpu() {
        return vcpu;
    }

    public long rip() {
        return rip;
    }
}
