package io.giantvm.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs {@code giantvm} in this JVM with its output captured, for the bad-input tests. */
abstract class CliTestBase {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) {
        return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** Standard error, which must be exactly one line. */
    String errLine() {
        String e = err.toString(StandardCharsets.UTF_8);
        assertThat(e.lines().count()).as("exactly one error line: " + e).isEqualTo(1);
        return e.strip();
    }
}
