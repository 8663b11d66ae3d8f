package io.giantvm.engine.control;

import java.util.Objects;

/**
 * How the guest ended, as a node that stays up after it reports it (control.proto's GuestOutcome).
 *
 * @param succeeded  status 0 and, where this node can check them, results that match the host's
 * @param exitStatus what the guest wrote to its debug-exit port, or -1 when it never did
 * @param result     one line: the guest's result or why it failed
 * @param guest      what a Linux guest reported about itself (on the I/O node), or null
 */
public record GuestOutcome(boolean succeeded, int exitStatus, String result, GuestReport guest) {
    public GuestOutcome {
        Objects.requireNonNull(result, "result");
    }

    /** The bundled test guest, or a node that does not read the guest's console: no report of its own. */
    public GuestOutcome(boolean succeeded, int exitStatus, String result) {
        this(succeeded, exitStatus, result, null);
    }

    io.giantvm.control.v1.GuestOutcome toWire() {
        var b = io.giantvm.control.v1.GuestOutcome.newBuilder().setSucceeded(succeeded).setExitStatus(exitStatus)
                .setResult(result);
        if (guest != null) {
            b.setGuest(guest.toWire());
        }
        return b.build();
    }
}
