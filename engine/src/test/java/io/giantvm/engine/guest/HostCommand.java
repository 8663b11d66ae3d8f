package io.giantvm.engine.guest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a host program with a bound on its run time, collecting stdout and stderr together. */
record HostCommand(int exitCode, String output, Duration elapsed) {

    static HostCommand run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        Path log = Files.createTempFile("giantvm-guest-test", ".log");
        try {
            long start = System.nanoTime();
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError("timed out after " + timeout + ": " + String.join(" ", command)
                        + "\n" + Files.readString(log, StandardCharsets.ISO_8859_1));
            }
            return new HostCommand(p.exitValue(), Files.readString(log, StandardCharsets.ISO_8859_1),
                    Duration.ofNanos(System.nanoTime() - start));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** True if {@code program} is an executable file on the PATH. */
    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
