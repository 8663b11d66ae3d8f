package io.giantvm.engine.vm;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How a run ended.
 *
 * @param guestStatus the status the guest wrote to the debug-exit port, or -1 when it never did
 * @param failure     why the run ended abnormally (crash, timeout, engine error), or null
 * @param reports     the bench records the guest handed over, in arrival order
 * @param elapsed     wall time from the first vCPU start to the end
 * @param exits       per vCPU, exits by reason
 * @param tscKhz      the guest TSC frequency, to turn cycle counts into time
 */
public record RunOutcome(int guestStatus, Throwable failure, List<GuestReport> reports, Duration elapsed,
                         List<Map<String, Long>> exits, long tscKhz) {
    public boolean succeeded() {
        return failure == null && guestStatus == 0;
    }
}
