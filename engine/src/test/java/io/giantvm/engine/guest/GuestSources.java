package io.giantvm.engine.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Where the guest's sources and built image are, for tests. */
final class GuestSources {
    private GuestSources() {}

    /** engine/src/main/guest (surefire runs in the module directory and sets "basedir"). */
    static Path sourceDir() {
        return Path.of(System.getProperty("basedir", "."), "src", "main", "guest").toAbsolutePath();
    }

    /** Builds the host harness (workloads.c + config.c as a normal program) into dir and returns it. */
    static Path buildHostHarness(Path dir) throws IOException, InterruptedException {
        HostCommand make = HostCommand.run(List.of("make", "--no-print-directory", "-C", sourceDir().toString(),
                "OUT=" + dir, "host-harness"), Duration.ofMinutes(2));
        assertThat(make.exitCode()).as("make host-harness:\n%s", make.output()).isZero();
        return dir.resolve("host-harness");
    }

    /** The image the Maven build put on the class path. */
    static byte[] image() {
        return BundledGuest.image();
    }
}
