package io.giantvm.engine.boot.linux;

import io.giantvm.engine.linux.DefaultGuestUnavailableException;
import io.giantvm.engine.linux.DefaultLinuxGuest;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;

/**
 * The default guest's real Debian kernel and initramfs for tests, built (or taken from the cache) by
 * build-guest.sh once per JVM; tests that need them skip, saying why, where the Debian archive is unreachable.
 */
public final class DebianKernel {
    private static DefaultLinuxGuest.GuestFiles files;
    private static String unavailable;

    private DebianKernel() {}

    public static synchronized DefaultLinuxGuest.GuestFiles files() {
        if (files == null && unavailable == null) {
            try {
                files = DefaultLinuxGuest.ensureBuilt();
            } catch (DefaultGuestUnavailableException e) {
                unavailable = e.getMessage();
            }
        }
        Assumptions.assumeTrue(files != null, () -> "skipped: the default Linux guest cannot be built here: " + unavailable);
        return files;
    }

    public static Path kernel() {
        return files().kernel();
    }
}
