package io.giantvm.engine.cli;

import io.giantvm.engine.config.VmDescriptionWriter;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One of {@code bench paper}'s runs: the Linux guest on {@code nodes} x {@code vcpusPerNode} vCPUs, as the
 * {@code giantvm run} arguments that make it. {@code numa} is empty for the one-node baseline (a flat machine).
 */
record PaperRun(int nodes, int vcpusPerNode, Optional<Boolean> numa) {
    /**
     * The tests of the paper's table, in its order: sysbench memory with 4 KiB blocks (global read, local write),
     * mutex, then cpu and threads, which the paper ran too but the issue quotes no figure for.
     */
    static final List<String> TESTS = List.of("memory-read-global", "memory-write-local", "mutex", "cpu", "threads");

    /** The baseline first, then the N-node run(s): NUMA on before off. */
    static List<PaperRun> plan(PaperOptions o) {
        List<PaperRun> runs = new ArrayList<>(List.of(new PaperRun(1, o.vcpus(), Optional.empty())));
        if (o.numa() != PaperOptions.Numa.OFF) {
            runs.add(new PaperRun(o.nodes(), o.vcpusPerNode(), Optional.of(true)));
        }
        if (o.numa() != PaperOptions.Numa.ON) {
            runs.add(new PaperRun(o.nodes(), o.vcpusPerNode(), Optional.of(false)));
        }
        return runs;
    }

    boolean baseline() {
        return nodes == 1;
    }

    int vcpus() {
        return nodes * vcpusPerNode;
    }

    /** "1 node x 2 vCPUs", "2 nodes x 1 vCPU". */
    String shape() {
        return nodes + (nodes == 1 ? " node x " : " nodes x ") + vcpusPerNode + (vcpusPerNode == 1 ? " vCPU" : " vCPUs");
    }

    /** The shape and, over several nodes, whether NUMA is on: "2 nodes x 1 vCPU, NUMA on". */
    String label() {
        return numa.map(on -> shape() + ", NUMA " + (on ? "on" : "off")).orElse(shape());
    }

    /** A short column name: "1 node", "NUMA on", "NUMA off". */
    String column() {
        return numa.map(on -> "NUMA " + (on ? "on" : "off")).orElse("1 node");
    }

    /** Where this run's kernel and initrd must fit: all of RAM on one node, node 0's home with NUMA on (as {@code run} checks it). */
    long bootRangeEnd(long memoryBytes) {
        return baseline() ? memoryBytes : NumaSwitch.bootRangeEnd(VmDescriptionWriter.loopback("boot-range", nodes, vcpusPerNode,
                memoryBytes, Optional.empty()).withNuma(numa.orElseThrow()));
    }

    /** {@code giantvm run} arguments for this run, JSON on stdout. */
    List<String> runArguments(PaperOptions o) {
        List<String> a = new ArrayList<>(List.of("run", "--guest", "linux"));
        if (baseline()) {
            a.addAll(List.of("--vcpus", String.valueOf(vcpusPerNode)));
        } else {
            a.addAll(List.of("--nodes", String.valueOf(nodes), "--vcpus-per-node", String.valueOf(vcpusPerNode),
                    "--" + NumaSwitch.OPTION, numa.orElseThrow() ? "on" : "off"));
        }
        a.addAll(List.of("--memory", o.memory(), "--sysbench", String.join(",", TESTS), "--time", String.valueOf(o.seconds()),
                "--timeout", String.valueOf(o.timeoutSeconds()), "--json"));
        return a;
    }
}
