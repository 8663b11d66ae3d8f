package io.giantvm.engine.cli;

import io.giantvm.engine.kvm.HostKvmKind;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bench paper}'s arguments: defaults, the runs they make, and bad input as one line with exit 2. */
class PaperOptionsTest extends CliTestBase {
    @Test
    void defaultsAreTwoVcpusOnOneNodeAndOnTwoNodesWithNumaOnAndOff() {
        PaperOptions o = PaperOptions.parse(List.of());
        assertThat(o).isEqualTo(new PaperOptions(2, 2, 5, PaperOptions.Numa.BOTH, "1G", 1800, Optional.empty(), false));
        assertThat(PaperRun.plan(o)).extracting(PaperRun::label)
                .containsExactly("1 node x 2 vCPUs", "2 nodes x 1 vCPU, NUMA on", "2 nodes x 1 vCPU, NUMA off");
    }

    @Test
    void everyOptionIsTakenAndReachesTheChildRuns(@TempDir Path dir) {
        PaperOptions o = PaperOptions.parse(List.of("--nodes", "4", "--vcpus", "8", "--time", "3", "--numa", "off",
                "--memory", "2G", "--timeout", "900", "--png", dir.resolve("t.png").toString(), "--json"));
        assertThat(o).isEqualTo(new PaperOptions(4, 8, 3, PaperOptions.Numa.OFF, "2G", 900, Optional.of(dir.resolve("t.png")), true));
        List<PaperRun> plan = PaperRun.plan(o);
        assertThat(plan).extracting(PaperRun::label).containsExactly("1 node x 8 vCPUs", "4 nodes x 2 vCPUs, NUMA off");
        assertThat(String.join(" ", plan.get(0).runArguments(o))).isEqualTo("run --guest linux --vcpus 8 --memory 2G"
                + " --sysbench memory-read-global,memory-write-local,mutex,cpu,threads --time 3 --timeout 900 --json");
        assertThat(String.join(" ", plan.get(1).runArguments(o))).isEqualTo("run --guest linux --nodes 4 --vcpus-per-node 2"
                + " --numa off --memory 2G --sysbench memory-read-global,memory-write-local,mutex,cpu,threads --time 3 --timeout 900 --json");
        assertThat(PaperRun.plan(PaperOptions.parse(List.of("--numa", "on")))).extracting(PaperRun::column)
                .containsExactly("1 node", "NUMA on");
    }

    @Test
    void theKernelMustFitNodeZerosHomeOnlyWhereNumaIsOn() {
        long gib = 1L << 30;
        assertThat(new PaperRun(1, 2, Optional.empty()).bootRangeEnd(gib)).isEqualTo(gib);
        assertThat(new PaperRun(2, 1, Optional.of(false)).bootRangeEnd(gib)).isEqualTo(gib);
        assertThat(new PaperRun(2, 1, Optional.of(true)).bootRangeEnd(gib)).isEqualTo(gib / 2);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            --vcpus 3                | giantvm: --vcpus 3 must be a multiple of --nodes 2 (each node runs vcpus / nodes of them)
            --nodes 1                | giantvm: --nodes must be between 2 and 64, got 1
            --nodes 4 --vcpus 2      | giantvm: --vcpus 2 must be a multiple of --nodes 4 (each node runs vcpus / nodes of them)
            --numa maybe             | giantvm: --numa must be on, off or both, got 'maybe'
            --time 0                 | giantvm: --time must be between 1 and 3600, got 0
            --time five              | giantvm: --time must be a whole number, got 'five'
            --memory lots            | giantvm: --memory: 'lots' is not a size (expected a number with an optional K, M or G suffix, e.g. 64K)
            --json yes               | giantvm: unexpected argument 'yes' (options look like --name value)
            --sysbench cpu           | giantvm: unknown option --sysbench for 'bench paper' (see: giantvm help)
            --png /no/such/dir/t.png | giantvm: --png /no/such/dir/t.png: directory /no/such/dir does not exist
            --png /tmp               | giantvm: --png /tmp is a directory; give a file name
            """)
    void badInputIsOneLineAndExitTwo(String args, String message) {
        String[] argv = concat("bench", "paper", args.split(" "));
        assertThat(run(argv)).isEqualTo(Main.EXIT_USAGE);
        assertThat(errLine()).isEqualTo(message);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aPvmHostIsRefusedWithTheSameLineAsRunGuestLinux() {
        Assumptions.assumeTrue(HostKvmKind.detect() == HostKvmKind.PVM, "skipped: this host's KVM is not PVM");
        assertThat(run("run", "--guest", "linux")).isEqualTo(Main.EXIT_USAGE);
        String runLine = errLine();
        err.reset();
        assertThat(run("bench", "paper")).isEqualTo(Main.EXIT_USAGE);
        assertThat(errLine()).isEqualTo(runLine).startsWith("giantvm: this host's KVM is PVM");
    }

    private static String[] concat(String a, String b, String[] rest) {
        String[] all = Arrays.copyOf(new String[] {a, b}, 2 + rest.length);
        System.arraycopy(rest, 0, all, 2, rest.length);
        return all;
    }
}
