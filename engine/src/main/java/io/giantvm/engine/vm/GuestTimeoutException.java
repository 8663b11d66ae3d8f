package io.giantvm.engine.vm;

import java.time.Duration;

/** The guest neither finished nor crashed in the time it was given. */
public final class GuestTimeoutException extends RuntimeException {
    public GuestTimeoutException(Duration limit) {
        super("the guest did not finish within " + limit.toSeconds() + " s (raise --timeout if the workload is long)");
    }
}
