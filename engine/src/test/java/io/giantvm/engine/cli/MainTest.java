package io.giantvm.engine.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input ends with one line on stderr and exit code 2, before any KVM is touched. */
class MainTest extends CliTestBase {
    @Test
    void zeroVcpus() {
        assertThat(run("run", "--vcpus", "0")).isEqualTo(2);
        assertThat(errLine()).isEqualTo("giantvm: --vcpus must be between 1 and 64, got 0");
    }

    @Test
    void unknownWorkload() {
        assertThat(run("run", "--workload", "nope")).isEqualTo(2);
        assertThat(errLine()).isEqualTo("giantvm: unknown workload 'nope' (expected one of: memory, mutex, falseshare, compute)");
    }

    @Test
    void unknownOptionAndMissingValue() {
        assertThat(run("run", "--frobnicate", "1")).isEqualTo(2);
        assertThat(errLine()).contains("unknown option --frobnicate");
        err.reset();
        assertThat(run("run", "--vcpus")).isEqualTo(2);
        assertThat(errLine()).isEqualTo("giantvm: --vcpus needs a value");
    }

    @Test
    void optionOfAnotherWorkload() {
        assertThat(run("run", "--workload", "memory", "--locks", "4")).isEqualTo(2);
        assertThat(errLine()).contains("--locks does not apply to workload memory");
    }

    @Test
    void sizesThatDoNotParseOrDoNotFit() {
        assertThat(run("run", "--memory", "lots")).isEqualTo(2);
        assertThat(errLine()).contains("memory");
        err.reset();
        assertThat(run("run", "--memory", "16M")).isEqualTo(2);
        assertThat(errLine()).contains("too small");
        err.reset();
        assertThat(run("run", "--memory", "8G")).isEqualTo(2);
        assertThat(errLine()).contains("exceeds");
    }

    @Test
    void benchRunsThatAreNotAPositiveNumber() {
        assertThat(run("bench", "dsm-latency", "--runs", "0")).isEqualTo(2);
        assertThat(errLine()).isEqualTo("giantvm: --runs must be a whole number from 1 to 50, got: 0");
        err.reset();
        assertThat(run("bench", "dsm-latency", "--runs", "three")).isEqualTo(2);
        assertThat(errLine()).contains("three");
        err.reset();
        assertThat(run("bench", "dsm-latency", "--fast")).isEqualTo(2);
        assertThat(errLine()).isEqualTo("giantvm: bench dsm-latency takes only --runs N and --placement shared|spread|both, got: --fast");
        err.reset();
        assertThat(run("bench", "dsm-latency", "--placement", "nearby")).isEqualTo(2);
        assertThat(errLine()).isEqualTo("giantvm: --placement must be shared, spread or both, got: nearby");
        err.reset();
        assertThat(run("bench", "dsm-latency", "--runs")).isEqualTo(2);
        assertThat(errLine()).contains("takes only --runs N");
    }

    @Test
    void benchSysbenchBadInputIsOneLineBeforeAnyGuestRuns() {
        assertThat(run("bench", "sysbench", "--vcpus", "0")).isEqualTo(2);
        assertThat(errLine()).contains("--vcpus").contains("0");
        err.reset();
        assertThat(run("bench", "sysbench", "--faster")).isEqualTo(2);
        assertThat(errLine()).contains("--faster");
        err.reset();
        assertThat(run("bench", "fio")).isEqualTo(2);
        assertThat(errLine()).isEqualTo("giantvm: bench takes one benchmark name: dsm-latency, sysbench or paper");
    }

    @Test
    void unknownCommandAndNoCommand() {
        assertThat(run("fly")).isEqualTo(2);
        assertThat(errLine()).isEqualTo("giantvm: unknown command 'fly' (commands: run, node, bench, help)");
        err.reset();
        assertThat(run()).isEqualTo(2);
        assertThat(errLine()).contains("no command given");
    }

    @Test
    void helpListsTheWorkloads() {
        assertThat(run("help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("memory | mutex | falseshare | compute");
    }
}
