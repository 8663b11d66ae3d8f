package io.giantvm.engine.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkloadSpecTest {

    private static Map<String, String> opts(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void defaultsMatchTheContract() {
        WorkloadSpec m = WorkloadSpec.parse("memory", Map.of());
        assertThat(m.blockBytes()).isEqualTo(65_536);
        assertThat(m.totalBytes()).isEqualTo(67_108_864);
        assertThat(m.mode()).isEqualTo(MemoryMode.WRITE);
        assertThat(m.scope()).isEqualTo(MemoryScope.LOCAL);
        assertThat(m.access()).isEqualTo(MemoryAccess.SEQ);
        assertThat(m.seed()).isEqualTo(1);
        assertThat(m.timerHz()).isZero();
        assertThat(WorkloadSpec.parse("mutex", Map.of()).locks()).isEqualTo(1);
        assertThat(WorkloadSpec.parse("mutex", Map.of()).iterations()).isEqualTo(100_000);
        assertThat(WorkloadSpec.parse("falseshare", Map.of()).iterations()).isEqualTo(1_000_000);
        assertThat(WorkloadSpec.parse("falseshare", Map.of()).layout()).isEqualTo(FalseshareLayout.PACKED);
        assertThat(WorkloadSpec.parse("compute", Map.of()).iterations()).isEqualTo(100_000_000);
    }

    @Test
    void parsesEveryMemoryOption() {
        WorkloadSpec s = WorkloadSpec.parse("memory", opts("--block-size", "4K", "--total", "1M", "--mode", "read",
                "--scope", "global", "--access", "rnd", "--seed", "18446744073709551615", "--timer-hz", "250"));
        assertThat(s.blockBytes()).isEqualTo(4096);
        assertThat(s.totalBytes()).isEqualTo(1L << 20);
        assertThat(s.mode()).isEqualTo(MemoryMode.READ);
        assertThat(s.scope()).isEqualTo(MemoryScope.GLOBAL);
        assertThat(s.access()).isEqualTo(MemoryAccess.RND);
        assertThat(s.seed()).isEqualTo(-1L);   // 2^64-1, unsigned
        assertThat(s.timerHz()).isEqualTo(250);
        assertThat(s.operationsPerVcpu()).isEqualTo(1L << 20);
        assertThat(s.extra0()).isEqualTo(4096);
    }

    @Test
    void optionNamesWorkWithOrWithoutDashes() {
        assertThat(WorkloadSpec.parse("mutex", opts("locks", "8", "--iterations", "5")))
                .extracting(WorkloadSpec::locks, WorkloadSpec::iterations).containsExactly(8, 5L);
    }

    @Test
    void unknownWorkloadListsTheKnownOnes() {
        assertThatThrownBy(() -> WorkloadSpec.parse("nope", Map.of()))
                .isInstanceOf(InvalidWorkloadSpecException.class)
                .hasMessage("unknown workload 'nope' (expected one of: memory, mutex, falseshare, compute)");
    }

    @Test
    void optionOfAnotherWorkloadIsRejected() {
        assertThatThrownBy(() -> WorkloadSpec.parse("memory", opts("--locks", "2")))
                .isInstanceOf(InvalidWorkloadSpecException.class)
                .hasMessageStartingWith("option --locks does not apply to workload memory")
                .hasMessageContaining("--block-size");
        assertThatThrownBy(() -> WorkloadSpec.parse("compute", opts("--layout", "padded")))
                .hasMessageStartingWith("option --layout does not apply to workload compute");
    }

    @Test
    void unknownOptionIsRejected() {
        assertThatThrownBy(() -> WorkloadSpec.parse("mutex", opts("--lokcs", "2")))
                .isInstanceOf(InvalidWorkloadSpecException.class)
                .hasMessageStartingWith("option --lokcs is not a workload option");
    }

    @Test
    void badNumbersAndEnumsAreRejectedWithTheirOption() {
        assertThatThrownBy(() -> WorkloadSpec.parse("mutex", opts("--iterations", "1e6")))
                .hasMessage("--iterations must be a whole number, got '1e6'");
        assertThatThrownBy(() -> WorkloadSpec.parse("mutex", opts("--iterations", "")))
                .hasMessage("option --iterations needs a value");
        assertThatThrownBy(() -> WorkloadSpec.parse("memory", opts("--mode", "rw")))
                .hasMessage("--mode must be read or write, got 'rw'");
        assertThatThrownBy(() -> WorkloadSpec.parse("memory", opts("--scope", "world")))
                .hasMessage("--scope must be local or global, got 'world'");
        assertThatThrownBy(() -> WorkloadSpec.parse("memory", opts("--access", "random")))
                .hasMessage("--access must be seq or rnd, got 'random'");
        assertThatThrownBy(() -> WorkloadSpec.parse("falseshare", opts("--layout", "tight")))
                .hasMessage("--layout must be packed or padded, got 'tight'");
        assertThatThrownBy(() -> WorkloadSpec.parse("compute", opts("--seed", "-3")))
                .hasMessageStartingWith("--seed must be a whole number");
    }

    @Test
    void rangesAreChecked() {
        assertThatThrownBy(() -> WorkloadSpec.parse("mutex", opts("--locks", "0")))
                .hasMessage("--locks must be between 1 and 1024, got 0");
        assertThatThrownBy(() -> WorkloadSpec.parse("mutex", opts("--locks", "1025")))
                .hasMessage("--locks must be between 1 and 1024, got 1025");
        assertThatThrownBy(() -> WorkloadSpec.parse("mutex", opts("--locks", "99999999999")))
                .hasMessage("--locks must be between 1 and 1024, got 99999999999");
        assertThatThrownBy(() -> WorkloadSpec.parse("compute", opts("--iterations", "0")))
                .hasMessageStartingWith("--iterations must be between 1 and");
        assertThatThrownBy(() -> WorkloadSpec.parse("memory", opts("--block-size", "12")))
                .hasMessage("--block-size must be a multiple of 8 between 8 and 1G, got 12");
        assertThatThrownBy(() -> WorkloadSpec.parse("memory", opts("--block-size", "2G")))
                .hasMessageStartingWith("--block-size must be a multiple of 8");
        assertThatThrownBy(() -> WorkloadSpec.parse("memory", opts("--block-size", "48K", "--total", "64K")))
                .hasMessage("--total must be a multiple of --block-size (48K) between it and 1024G, got 64K");
        assertThatThrownBy(() -> WorkloadSpec.parse("memory", opts("--block-size", "64K", "--total", "32K")))
                .hasMessageStartingWith("--total must be a multiple of --block-size");
        assertThatThrownBy(() -> WorkloadSpec.parse("compute", opts("--timer-hz", "10001")))
                .hasMessage("--timer-hz must be between 0 (off) and 10000, got 10001");
    }

    @Test
    void defaultTotalAdaptsToTheBlock() {
        assertThat(WorkloadSpec.parse("memory", opts("--block-size", "48K")).totalBytes())
                .isEqualTo((64L << 20) - (64L << 20) % (48 << 10));
        assertThat(WorkloadSpec.parse("memory", opts("--block-size", "128M")).totalBytes()).isEqualTo(128L << 20);
    }

    @Test
    void kernelCommandLineSpellsOutEveryApplicableKey() {
        assertThat(WorkloadSpec.parse("memory", opts("--block-size", "64K", "--total", "64M", "--mode", "write",
                "--scope", "global", "--access", "seq")).toKernelCommandLine(2))
                .isEqualTo("vcpus=2 workload=memory block=65536 total=67108864 mode=write scope=global access=seq seed=1");
        assertThat(WorkloadSpec.parse("mutex", opts("--locks", "4", "--iterations", "1000")).toKernelCommandLine(8))
                .isEqualTo("vcpus=8 workload=mutex locks=4 iterations=1000 seed=1");
        assertThat(WorkloadSpec.parse("falseshare", opts("--layout", "padded", "--iterations", "7"))
                .toKernelCommandLine(1))
                .isEqualTo("vcpus=1 workload=falseshare iterations=7 layout=padded seed=1");
        assertThat(WorkloadSpec.parse("compute", opts("--seed", "18446744073709551615", "--timer-hz", "100"))
                .toKernelCommandLine(64))
                .isEqualTo("vcpus=64 workload=compute iterations=100000000 seed=18446744073709551615 timer_hz=100");
    }

    @Test
    void kernelCommandLineChecksVcpus() {
        WorkloadSpec s = WorkloadSpec.defaults(Workload.COMPUTE);
        assertThatThrownBy(() -> s.toKernelCommandLine(0)).hasMessage("vcpus must be between 1 and 64, got 0");
        assertThatThrownBy(() -> s.toKernelCommandLine(65)).hasMessage("vcpus must be between 1 and 64, got 65");
        assertThat(s.toKernelCommandLine(1).length()).isLessThan(GuestAbi.COMMAND_LINE_MAX_BYTES);
    }

    @Test
    void dataLayoutAndMinimumMemory() {
        long mib = 1L << 20;
        WorkloadSpec local = WorkloadSpec.parse("memory", opts("--block-size", "3M", "--total", "3M"));
        assertThat(local.dataEnd(4)).isEqualTo(16 * mib + 4 * 4 * mib);   // each block rounded up to 2 MiB pages
        WorkloadSpec global = WorkloadSpec.parse("memory", opts("--block-size", "3M", "--scope", "global"));
        assertThat(global.dataEnd(4)).isEqualTo(16 * mib + 4 * mib);
        WorkloadSpec mutex = WorkloadSpec.parse("mutex", opts("--locks", "100"));
        assertThat(mutex.dataEnd(2)).isEqualTo(16 * mib + 8192 + 100 * 4096);
        assertThat(WorkloadSpec.parse("falseshare", opts("--layout", "padded")).dataEnd(3)).isEqualTo(16 * mib + 3 * 4096);
        assertThat(WorkloadSpec.defaults(Workload.COMPUTE).minimumMemoryBytes(64)).isEqualTo(32 * mib);
        assertThat(WorkloadSpec.parse("memory", opts("--block-size", "1G")).minimumMemoryBytes(2))
                .isEqualTo(16 * mib + 2 * 1024 * mib);
    }

    @Test
    void aTimeWindowReplacesTheCount() {
        WorkloadSpec s = WorkloadSpec.parse("mutex", opts("--time", "3"));
        assertThat(s.timed()).isTrue();
        assertThat(s.timeMillis()).isEqualTo(3000);
        assertThat(s.toKernelCommandLine(2)).isEqualTo("vcpus=2 workload=mutex locks=1 time_ms=3000 seed=1");
        assertThat(WorkloadSpec.parse("memory", opts("--time", "0.25")).toKernelCommandLine(1))
                .isEqualTo("vcpus=1 workload=memory block=65536 mode=write scope=local access=seq time_ms=250 seed=1");
        assertThat(WorkloadSpec.parse("compute", Map.of()).timed()).isFalse();
    }

    @Test
    void aTimeWindowRejectsACountAndBadDurations() {
        assertThatThrownBy(() -> WorkloadSpec.parse("mutex", opts("--time", "3", "--iterations", "5")))
                .hasMessage("--time runs for a time, not a count: drop --iterations");
        assertThatThrownBy(() -> WorkloadSpec.parse("memory", opts("--time", "3", "--total", "1M")))
                .hasMessage("--time runs for a time, not a count: drop --total");
        assertThatThrownBy(() -> WorkloadSpec.parse("mutex", opts("--time", "3s")))
                .hasMessage("--time must be seconds, e.g. 3 or 0.5, got '3s'");
        assertThatThrownBy(() -> WorkloadSpec.parse("mutex", opts("--time", "0")))
                .hasMessage("--time must be between 0.001 and 3600 seconds, got 0");
        assertThatThrownBy(() -> WorkloadSpec.parse("mutex", opts("--time", "3601")))
                .hasMessage("--time must be between 0.001 and 3600 seconds, got 3601");
    }
}
