package io.giantvm.engine.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles the guest's own workloads.c and config.c for the host (with a small harness) and holds
 * ExpectedChecksums and WorkloadSpec to the same answers as the C code the guest runs.
 */
class GuestWorkloadsAgreeWithJavaTest {

    @TempDir
    static Path buildDir;
    private static Path harness;

    @BeforeAll
    static void build() throws Exception {
        assumeTrue(HostCommand.onPath("gcc") && HostCommand.onPath("make"),
                "gcc or make not on the PATH: skipped compiling the guest's C code for the host");
        harness = GuestSources.buildHostHarness(buildDir);
    }

    private static String harness(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(harness.toString());
        cmd.addAll(List.of(args));
        HostCommand r = HostCommand.run(cmd, Duration.ofSeconds(60));
        assertThat(r.exitCode()).as("%s -> %s", cmd, r.output()).isZero();
        return r.output().strip();
    }

    private static WorkloadSpec spec(String workload, String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return WorkloadSpec.parse(workload, m);
    }

    @Test
    void memoryChecksumsAgree() throws Exception {
        List<WorkloadSpec> specs = List.of(
                spec("memory", "block-size", "64K", "total", "1M"),
                spec("memory", "block-size", "4K", "total", "64K", "mode", "read", "seed", "12345"),
                spec("memory", "block-size", "8", "total", "800", "seed", "0"),
                spec("memory", "block-size", "64K", "total", "1M", "access", "rnd"),
                spec("memory", "block-size", "24", "total", "48K", "access", "rnd", "mode", "read", "seed", "0"),
                spec("memory", "block-size", "1M", "total", "4M", "access", "rnd", "seed", "18446744073709551615"),
                spec("memory", "block-size", "1M", "total", "3M", "scope", "global", "seed", "9223372036854775808"));
        for (WorkloadSpec s : specs) {
            for (int vcpu : new int[] {0, 1, 5, 63}) {
                String c = harness("memory", Long.toString(s.blockBytes()), Long.toString(s.totalBytes()),
                        s.mode() == MemoryMode.WRITE ? "1" : "0", s.access() == MemoryAccess.RND ? "1" : "0",
                        Long.toUnsignedString(s.seed()), Integer.toString(vcpu));
                assertThat(c).as("%s vcpu %d", s, vcpu)
                        .isEqualTo(Long.toUnsignedString(ExpectedChecksums.memory(s, vcpu)));
            }
        }
    }

    @Test
    void aTimeWindowRunsTheSameSequenceInPieces() throws Exception {
        // A time-window run does one block per piece and the host recomputes the checksum for the amount done.
        for (String access : new String[] {"seq", "rnd"}) {
            WorkloadSpec s = spec("memory", "block-size", "4K", "total", "40K", "access", access, "seed", "77");
            String c = harness("memory-pieces", "4096", "40960", "1", access.equals("rnd") ? "1" : "0", "77", "2");
            assertThat(c).as(access).isEqualTo(Long.toUnsignedString(ExpectedChecksums.perVcpu(s, 2, 40960)));
        }
        WorkloadSpec compute = spec("compute", "time", "1");
        assertThat(harness("compute-pieces", "12288", "4096", "1", "3"))
                .isEqualTo(Long.toUnsignedString(ExpectedChecksums.perVcpu(compute, 3, 12288)));
    }

    @Test
    void guestParserReadsATimeWindow() throws Exception {
        WorkloadSpec s = spec("memory", "time", "2.5", "block-size", "4K");
        String out = harness("cmdline", GuestAbi.withTscKhz(s.toKernelCommandLine(2), 2_100_000));
        assertThat(out).startsWith("ok ").contains(" time_ms=2500 ").contains(" tsc_khz=2100000 ")
                .contains(" block=4096 ");
    }

    @Test
    void seedZeroOnVcpuZeroDoesNotStallTheRandomWalk() {
        // xorshift64 maps 0 to 0: without the replacement every access would hit word 0.
        WorkloadSpec s = spec("memory", "block-size", "64K", "total", "64K", "access", "rnd", "seed", "0");
        assertThat(ExpectedChecksums.memory(s, 0)).isNotZero();
    }

    @Test
    void computeResultsAgree() throws Exception {
        for (String[] p : new String[][] {{"1", "1"}, {"1000", "1"}, {"123457", "0"}, {"100000", "18446744073709551615"}}) {
            WorkloadSpec s = spec("compute", "iterations", p[0], "seed", p[1]);
            for (int vcpu : new int[] {0, 3}) {
                assertThat(harness("compute", p[0], p[1], Integer.toString(vcpu))).as("compute %s vcpu %d", s, vcpu)
                        .isEqualTo(Long.toUnsignedString(ExpectedChecksums.compute(s, vcpu)));
            }
        }
    }

    @Test
    void mutexAndFalseshareCountersAgree() throws Exception {
        WorkloadSpec m = spec("mutex", "locks", "7", "iterations", "1000");
        assertThat(harness("mutex", "7", "1000", "3")).isEqualTo(Long.toString(ExpectedChecksums.summary(m, 3)));
        WorkloadSpec f = spec("falseshare", "iterations", "4321");
        assertThat(harness("falseshare", "4321")).isEqualTo(Long.toString(ExpectedChecksums.perVcpu(f, 0)));
        assertThat(ExpectedChecksums.summary(f, 4)).isEqualTo(4 * 4321);
    }

    @Test
    void guestParserReadsJavaCommandLinesAsMeant() throws Exception {
        List<WorkloadSpec> specs = List.of(
                spec("memory", "block-size", "4K", "total", "8M", "mode", "read", "scope", "global", "access", "rnd",
                        "seed", "18446744073709551615", "timer-hz", "100"),
                spec("memory"),
                spec("mutex", "locks", "1024", "iterations", "1000000000000"),
                spec("falseshare", "layout", "padded"),
                spec("compute", "iterations", "1"));
        for (WorkloadSpec s : specs) {
            int vcpus = 3;
            String out = harness("cmdline", "giantvm-guest.bin " + s.toKernelCommandLine(vcpus));
            assertThat(out).as("guest parse of %s", s.toKernelCommandLine(vcpus)).startsWith("ok ");
            Map<String, String> got = new LinkedHashMap<>();
            for (String kv : out.substring(3).split(" ")) {
                got.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
            assertThat(got.get("vcpus")).isEqualTo("3");
            assertThat(got.get("workload")).isEqualTo(s.workload().cliName());
            assertThat(got.get("seed")).isEqualTo(Long.toUnsignedString(s.seed()));
            assertThat(got.get("timer_hz")).isEqualTo(Integer.toString(s.timerHz()));
            assertThat(got.get("data_end")).isEqualTo(Long.toString(s.dataEnd(vcpus)));
            switch (s.workload()) {
                case MEMORY -> {
                    assertThat(got.get("block")).isEqualTo(Long.toString(s.blockBytes()));
                    assertThat(got.get("total")).isEqualTo(Long.toString(s.totalBytes()));
                    assertThat(got.get("mode")).isEqualTo(s.mode().cliName());
                    assertThat(got.get("scope")).isEqualTo(s.scope().cliName());
                    assertThat(got.get("access")).isEqualTo(s.access().cliName());
                }
                case MUTEX -> {
                    assertThat(got.get("locks")).isEqualTo(Integer.toString(s.locks()));
                    assertThat(got.get("iterations")).isEqualTo(Long.toString(s.iterations()));
                }
                case FALSESHARE -> {
                    assertThat(got.get("layout")).isEqualTo(s.layout().cliName());
                    assertThat(got.get("iterations")).isEqualTo(Long.toString(s.iterations()));
                }
                case COMPUTE -> assertThat(got.get("iterations")).isEqualTo(Long.toString(s.iterations()));
            }
        }
    }

    @Test
    void guestParserDefaultsEqualJavaDefaults() throws Exception {
        for (Workload w : Workload.values()) {
            String out = harness("cmdline", "vcpus=1 workload=" + w.cliName());
            WorkloadSpec d = WorkloadSpec.defaults(w);
            assertThat(out).startsWith("ok ").contains(" seed=1 ").contains(" timer_hz=0 ");
            if (w == Workload.MEMORY) {
                assertThat(out).contains(" block=" + d.blockBytes() + " total=" + d.totalBytes()
                        + " mode=write scope=local access=seq ");
            } else {
                assertThat(out).contains(" iterations=" + d.iterations() + " ");
            }
        }
    }

    @Test
    void guestParserRejectsWhatJavaRejects() throws Exception {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("vcpus=0 workload=mutex", "vcpus must be 1..64");
        bad.put("vcpus=65 workload=mutex", "vcpus must be 1..64");
        bad.put("vcpus=1 workload=nope", "unknown workload");
        bad.put("vcpus=1 workload=memory locks=2", "key does not apply to this workload: locks");
        bad.put("vcpus=1 workload=mutex locks=0", "locks must be 1..1024");
        bad.put("vcpus=1 workload=mutex locks=1025", "locks must be 1..1024");
        bad.put("vcpus=1 workload=mutex iterations=0", "iterations must be");
        bad.put("vcpus=1 workload=mutex iterations=1000000000001", "iterations must be");
        bad.put("vcpus=1 workload=memory block=12", "block must be a multiple of 8");
        bad.put("vcpus=1 workload=memory block=65536 total=32768", "total must be a positive multiple of block");
        bad.put("vcpus=1 workload=compute timer_hz=10001", "timer_hz must be 0..10000");
        bad.put("vcpus=1 workload=compute seed=18446744073709551616", "not a decimal number");
        bad.put("vcpus=1 workload=compute frobnicate=1", "unknown key: frobnicate");
        bad.put("vcpus=1 workload=compute crash=boom", "crash must be exception or triple");
        bad.put("vcpus=1 workload=compute vcpus=2", "key given twice: vcpus");
        bad.put("workload=compute", "missing vcpus");
        bad.put("vcpus=1", "missing workload");
        bad.put("vcpus=1 workload=compute stray", "expected key=value: stray");
        bad.put("vcpus=1 workload=mutex time_ms=5 iterations=3 tsc_khz=1", "time_ms runs for a time, not a count: it excludes: iterations");
        bad.put("vcpus=1 workload=memory time_ms=5 total=65536 tsc_khz=1", "excludes: total");
        bad.put("vcpus=1 workload=mutex time_ms=5", "time_ms needs tsc_khz");
        bad.put("vcpus=1 workload=mutex time_ms=0 tsc_khz=1", "time_ms must be 1..3600000");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            assertThat(harness("cmdline", e.getKey())).as(e.getKey()).startsWith("error ").contains(e.getValue());
        }
    }
}
