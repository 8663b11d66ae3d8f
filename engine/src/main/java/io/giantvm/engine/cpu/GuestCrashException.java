package io.giantvm.engine.cpu;

import java.util.ArrayList;
import java.util.List;

/** The guest stopped in a way only a broken guest can: triple fault, emulation failure, failed entry. */
public final class GuestCrashException extends RuntimeException {
    private final int vcpu;
    private final long rip;
    private final String reason;
    private final boolean shutdown;
    private final List<String> lastEvents;
    /** The other vCPUs of this process when the VM stopped: where each was, its APIC, its last events. */
    private final List<String> otherVcpus;

    public GuestCrashException(int vcpu, long rip, String reason) {
        this(vcpu, rip, reason, false, List.of());
    }

    public GuestCrashException(int vcpu, long rip, String reason, boolean shutdown) {
        this(vcpu, rip, reason, shutdown, List.of());
    }

    /**
     * @param shutdown   the crash is KVM's shutdown exit (a triple fault), which a guest also uses to restart
     * @param lastEvents what the vCPU's thread did last, oldest first (its flight recorder), for the crash report
     */
    public GuestCrashException(int vcpu, long rip, String reason, boolean shutdown, List<String> lastEvents) {
        this(vcpu, rip, reason, shutdown, lastEvents, List.of());
    }

    private GuestCrashException(int vcpu, long rip, String reason, boolean shutdown, List<String> lastEvents,
            List<String> otherVcpus) {
        super("guest crashed on vCPU %d at RIP 0x%x: %s".formatted(vcpu, rip, reason));
        this.vcpu = vcpu;
        this.rip = rip;
        this.reason = reason;
        this.shutdown = shutdown;
        this.lastEvents = List.copyOf(lastEvents);
        this.otherVcpus = List.copyOf(otherVcpus);
    }

    /**
     * This crash, with one line per other vCPU of the process as it was when the VM stopped. A crash on one vCPU is
     * often the end of a story told by another (an IPI it never answered, an interrupt stuck in service).
     */
    public GuestCrashException withOtherVcpus(List<String> lines) {
        GuestCrashException copy = new GuestCrashException(vcpu, rip, reason, shutdown, lastEvents, lines);
        copy.setStackTrace(getStackTrace());
        return copy;
    }

    /** The crash report after the one-line message: the crashed vCPU's last events, then the other vCPUs. */
    public List<String> reportLines() {
        List<String> lines = new ArrayList<>();
        if (!lastEvents.isEmpty()) {
            lines.add(lastEventsLine());
        }
        lines.addAll(otherVcpus);
        return lines;
    }

    /** The vCPU's last events before the crash, oldest first (empty when not recorded). */
    public List<String> lastEvents() {
        return lastEvents;
    }

    /** One line: "vCPU N's last events (oldest first): a, b, c", or empty when none were recorded. */
    public String lastEventsLine() {
        return lastEvents.isEmpty() ? "" : "vCPU %d's last events (oldest first): %s".formatted(vcpu, String.join(", ", lastEvents));
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
