package io.giantvm.engine.vm;

import java.time.Duration;

/** The guest neither finished nor crashed in the time it was given. */
public final class GuestTimeoutException extends RuntimeException {
    public GuestTimeoutException(Duration limit) {
        super(message(limit));
    }

    /** With where each vCPU was when it was stopped, so that a hung guest shows what it was waiting for. */
    public GuestTimeoutException(Duration limit, String vcpusAtStop) {
        super(message(limit) + "; at the stop: " + vcpusAtStop);
    }

    private static String message(Duration limit) {
        return "the guest did not finish within " + limit.toSeconds() + " s (raise --timeout if the workload is long)";
    }
}
