package io.giantvm.engine.forward;

import java.time.Duration;

/** Timings of forwarding, in one place. */
public final class ForwardLayout {
    private ForwardLayout() {}

    /**
     * Bound on one forwarded device access. A UART byte comes back in a round trip (~0.1 ms); a bench report
     * may first fault its record in through the DSM on the I/O node. Ten seconds is far above both and still
     * inside the "a dead node stops the VM within seconds" promise (peer-down usually fails it sooner).
     */
    public static final Duration IO_REPLY_TIMEOUT = Duration.ofSeconds(10);

    /** Name of the thread that serves forwarded accesses on the I/O node. */
    public static final String IO_SERVER_THREAD = "io-server";
}
