package io.giantvm.engine.cli;

import io.giantvm.engine.guest.Sizes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code giantvm bench paper} was asked for, checked before any run starts (a typo must not cost an hour of
 * runs first): K vCPUs in all, on one node and on N nodes of K/N each.
 *
 * @param timeoutSeconds each run's own guest timeout ({@code run --timeout}); the bench adds its start-up slack
 */
record PaperOptions(int nodes, int vcpus, int seconds, Numa numa, String memory, int timeoutSeconds, Optional<Path> png,
                    boolean json) {
    /** Which N-node runs happen: with the guest told each node is a NUMA node, without, or both side by side. */
    enum Numa { ON, OFF, BOTH }

    static final int DEFAULT_NODES = 2;
    static final int DEFAULT_VCPUS = 2;
    /** Nested under emulation a 2-node Linux run took longer than 12 minutes; 30 leaves room without waiting forever. */
    static final int DEFAULT_TIMEOUT_SECONDS = 1800;

    private static final Set<String> VALUED = Set.of("nodes", "vcpus", "time", "numa", "png", "memory", "timeout");
    private static final Set<String> FLAGS = Set.of("json");

    static PaperOptions parse(List<String> args) {
        Options o = Options.parse("bench paper", args, VALUED, FLAGS, Set.of());
        int nodes = o.getInt("nodes", DEFAULT_NODES, 2, LinuxRunCommand.MAX_VCPUS);
        int vcpus = o.getInt("vcpus", DEFAULT_VCPUS, 1, LinuxRunCommand.MAX_VCPUS);
        if (vcpus % nodes != 0) {
            throw new UsageException("--vcpus " + vcpus + " must be a multiple of --nodes " + nodes
                    + " (each node runs vcpus / nodes of them)");
        }
        int seconds = o.getInt("time", LinuxRunCommand.DEFAULT_SYSBENCH_SECONDS, 1, 3600);
        Numa numa = switch (o.get("numa", "both")) {
            case "on" -> Numa.ON;
            case "off" -> Numa.OFF;
            case "both" -> Numa.BOTH;
            default -> throw new UsageException("--numa must be on, off or both, got '" + o.get("numa", "") + "'");
        };
        String memory = o.get("memory", LinuxRunCommand.DEFAULT_MEMORY);
        Sizes.parse("memory", memory); // one line now rather than from every child
        int timeout = o.getInt("timeout", DEFAULT_TIMEOUT_SECONDS, 1, 7 * 24 * 3600);
        Optional<Path> png = Optional.ofNullable(o.get("png", null)).map(Path::of);
        png.ifPresent(PaperOptions::checkWritable);
        return new PaperOptions(nodes, vcpus, seconds, numa, memory, timeout, png, o.has("json"));
    }

    /** The chart is written after the runs: a directory that is not there must be said before them. */
    private static void checkWritable(Path png) {
        Path dir = png.toAbsolutePath().getParent();
        if (Files.isDirectory(png)) {
            throw new UsageException("--png " + png + " is a directory; give a file name");
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new UsageException("--png " + png + ": directory " + dir + " does not exist");
        }
        if (!Files.isWritable(dir)) {
            throw new UsageException("--png " + png + ": directory " + dir + " is not writable");
        }
    }

    int vcpusPerNode() {
        return vcpus / nodes;
    }
}
