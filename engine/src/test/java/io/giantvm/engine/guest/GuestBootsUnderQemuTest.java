package io.giantvm.engine.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Boots the bundled guest under QEMU's TCG (a real LAPIC, 16550 and isa-debug-exit; no KVM needed):
 * APs start through INIT-SIPI-SIPI, every workload runs in ring 3, results are exact. The guest's
 * bench-port records are read back from the identical lines it prints on the UART.
 */
class GuestBootsUnderQemuTest {

    @TempDir
    static Path dir;
    private static Path image;

    @BeforeAll
    static void writeImage() throws Exception {
        assumeTrue(HostCommand.onPath(QemuGuestRun.QEMU), QemuGuestRun.QEMU
                + " not on the PATH: skipped booting the guest under QEMU TCG (apt-get install qemu-system-x86)");
        image = Files.write(dir.resolve("giantvm-guest.bin"), GuestSources.image());
    }

    private static WorkloadSpec spec(String workload, String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return WorkloadSpec.parse(workload, m);
    }

    /** Boots spec on cpus vCPUs and checks everything every successful run must satisfy. */
    private static QemuGuestRun runOk(int cpus, WorkloadSpec spec) throws Exception {
        String cmdline = spec.toKernelCommandLine(cpus);
        QemuGuestRun run = QemuGuestRun.boot(image, cpus, cmdline);
        System.out.printf("qemu tcg: %d cpus, %s: %d ms%n", cpus, cmdline, run.elapsed().toMillis());
        assertThat(run.guestStatus()).as("guest exit status, console:\n%s", run.console()).isZero();
        assertThat(run.console()).contains("guest: " + cpus + " cpus up");

        assertThat(ReportCheck.problems(spec, cpus, run.reports())).as("report problems, console:\n%s", run.console())
                .isEmpty();
        return run;
    }

    @ParameterizedTest(name = "mutex on {0} cpus, {1} locks")
    @CsvSource({"1, 1", "2, 1", "4, 1", "4, 3"})
    void mutexCounterIsExact(int cpus, int locks) throws Exception {
        QemuGuestRun run = runOk(cpus, spec("mutex", "locks", Integer.toString(locks), "iterations", "20000"));
        assertThat(run.summary().checksum()).isEqualTo(cpus * 20000L);
        assertThat(run.console()).contains("guest: mutex counter " + cpus * 20000L + " expected " + cpus * 20000L + " ok");
    }

    @Test
    void mutexCounterIsExactUnderRealContention() throws Exception {
        // Long enough (~1 s under MTTCG) that both vCPU threads really overlap on a busy 2-core host; a
        // lock without atomicity then loses updates or wedges (lock word left set) and this test fails.
        QemuGuestRun run = runOk(2, spec("mutex", "locks", "1", "iterations", "500000"));
        assertThat(run.summary().checksum()).isEqualTo(1_000_000L);
    }

    @ParameterizedTest(name = "memory on {0} cpus: {1}")
    @CsvSource(delimiter = '|', value = {
            "1 | block-size=64K total=1M mode=write scope=local access=seq",
            "2 | block-size=64K total=1M mode=write scope=global access=rnd seed=7",
            "4 | block-size=4K total=256K mode=read scope=global access=rnd seed=0",
            "2 | block-size=3M total=6M mode=read scope=local access=seq"})
    void memoryChecksumsMatchTheHost(int cpus, String options) throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : options.trim().split(" ")) {
            m.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        runOk(cpus, WorkloadSpec.parse("memory", m));
    }

    @ParameterizedTest(name = "falseshare on {0} cpus, {1}")
    @CsvSource({"2, packed", "4, padded"})
    void falseshareCountersAreExact(int cpus, String layout) throws Exception {
        runOk(cpus, spec("falseshare", "iterations", "50000", "layout", layout));
    }

    @Test
    void computeTakesLapicTimerInterrupts() throws Exception {
        QemuGuestRun run = runOk(2, spec("compute", "iterations", "20000000", "seed", "3", "timer-hz", "1000"));
        assertThat(run.vcpuReports()).allSatisfy(r -> assertThat(r.interrupts()).as("interrupts of vcpu %d", r.vcpu())
                .isPositive());
    }

    @Test
    void computeWithoutTimerTakesNoInterrupts() throws Exception {
        QemuGuestRun run = runOk(1, spec("compute", "iterations", "1000"));
        assertThat(run.summary().interrupts()).isZero();
    }

    @Test
    void badCommandLineEndsWithStatus2AndOneErrorLine() throws Exception {
        QemuGuestRun run = QemuGuestRun.boot(image, 1, "vcpus=1 workload=nope");
        assertThat(run.guestStatus()).isEqualTo(GuestAbi.EXIT_BAD_COMMAND_LINE);
        assertThat(run.console()).contains("guest: unknown workload (memory, mutex, falseshare, compute): nope");
        assertThat(run.reports()).isEmpty();
    }

    @Test
    void tooLittleMemoryForTheDataEndsWithStatus2() throws Exception {
        // 4 local 64M blocks need 16M + 4 x 64M of RAM; QEMU gets 128M.
        QemuGuestRun run = QemuGuestRun.boot(image, 1,
                spec("memory", "block-size", "64M", "total", "64M").toKernelCommandLine(4));
        assertThat(run.guestStatus()).isEqualTo(GuestAbi.EXIT_BAD_COMMAND_LINE);
        assertThat(run.console()).contains("guest: workload data does not fit in RAM");
    }

    @Test
    void missingApEndsWithStatus4() throws Exception {
        QemuGuestRun run = QemuGuestRun.boot(image, 2, spec("compute", "iterations", "10").toKernelCommandLine(3));
        System.out.printf("qemu tcg: AP 2 missing, bounded wait: %d ms%n", run.elapsed().toMillis());
        assertThat(run.guestStatus()).isEqualTo(GuestAbi.EXIT_AP_DID_NOT_START);
        assertThat(run.console()).contains("guest: cpu 2 did not start: never reached the trampoline");
    }

    @Test
    void exceptionIsReportedWithVectorRipAndCpuThenStatus3() throws Exception {
        QemuGuestRun run = QemuGuestRun.boot(image, 2,
                spec("compute", "iterations", "10").toKernelCommandLine(2) + " " + GuestAbi.CRASH_WITH_EXCEPTION);
        assertThat(run.guestStatus()).isEqualTo(GuestAbi.EXIT_EXCEPTION);
        assertThat(run.console()).containsPattern("guest: exception 6 at 0x10[0-9a-f]{4} on cpu 0");
    }

    @Test
    void tripleFaultHookShutsTheMachineDown() throws Exception {
        QemuGuestRun run = QemuGuestRun.boot(image, 1,
                spec("compute", "iterations", "10").toKernelCommandLine(1) + " " + GuestAbi.CRASH_WITH_TRIPLE_FAULT);
        // With -no-reboot QEMU exits 0 on a triple fault; the guest never reaches its debug-exit port.
        assertThat(run.qemuExitCode()).as(run.console()).isZero();
        assertThat(run.guestStatus()).isEqualTo(-1);
        assertThat(run.console()).contains("guest: crashing on purpose (triple fault)").doesNotContain("guest: exit");
    }
}
