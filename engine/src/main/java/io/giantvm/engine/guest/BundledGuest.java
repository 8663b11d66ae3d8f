package io.giantvm.engine.guest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The test guest image the engine's build compiles from {@code engine/src/main/guest/} onto the class path. */
public final class BundledGuest {
    private BundledGuest() {}

    /**
     * The image's bytes.
     *
     * @throws IllegalStateException if the build did not produce it (it needs gcc at build time)
     */
    public static byte[] image() {
        try (InputStream in = BundledGuest.class.getResourceAsStream(GuestAbi.IMAGE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("bundled guest image " + GuestAbi.IMAGE_RESOURCE
                        + " is not on the class path: build the engine with './mvnw -pl engine package' (needs gcc)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the bundled guest image", e);
        }
    }
}
