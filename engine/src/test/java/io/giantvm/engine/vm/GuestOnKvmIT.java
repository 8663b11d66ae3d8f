package io.giantvm.engine.vm;

import io.giantvm.engine.cli.RunResults;
import io.giantvm.engine.cpu.VcpuState;
import io.giantvm.engine.guest.ExpectedChecksums;
import io.giantvm.engine.guest.GuestAbi;
import io.giantvm.engine.guest.WorkloadSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The bundled guest on real KVM: every workload on 1 and 2 vCPUs, SMP start, interrupts. */
class GuestOnKvmIT {
    @BeforeEach
    void needsKvm() {
        KvmRequirement.assumeKvm();
    }

    private static Map<String, String> options(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @ParameterizedTest(name = "{0} on {1} vCPU(s) {2}")
    @CsvSource(delimiter = ';', value = {
            "mutex;1;locks=1,iterations=20000",
            "mutex;2;locks=1,iterations=20000",
            "mutex;2;locks=3,iterations=5000",
            "memory;1;block-size=64K,total=4M,mode=write,scope=local",
            "memory;2;block-size=64K,total=4M,mode=write,scope=global",
            "memory;2;block-size=16K,total=2M,mode=read,scope=global,access=rnd",
            "falseshare;1;iterations=20000,layout=packed",
            "falseshare;2;iterations=20000,layout=padded",
            "compute;1;iterations=1000000",
            "compute;2;iterations=1000000"})
    void everyWorkloadGivesTheAnswerTheHostComputes(String workload, int vcpus, String opts) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        for (String kv : opts.split(",")) {
            String[] p = kv.split("=");
            o.put(p[0], p[1]);
        }
        GuestRuns.Result r = GuestRuns.run(vcpus, workload, o);
        RunResults res = r.results();

        assertThat(res.outcome().failure()).as(r.describe()).isNull();
        assertThat(res.outcome().guestStatus()).as(r.describe()).isZero();
        assertThat(res.problems()).isEmpty();
        assertThat(res.rows()).extracting(RunResults.Row::vcpu).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, vcpus).boxed().toList());
        WorkloadSpec spec = WorkloadSpec.parse(workload, o);
        assertThat(res.summary().checksum()).isEqualTo(ExpectedChecksums.summary(spec, vcpus));
        if (workload.equals("mutex")) {
            assertThat(res.summary().checksum()).isEqualTo(vcpus * spec.iterations()); // no lost update
        }
    }


    /** One interrupt every 10 ms: like the timer test below, well above what one costs under nested emulation. */
    @Test
    void aVcpuSpinningInRing3IsKickedAndTakesTheInterrupt() throws Exception {
        GuestRuns.Result r = GuestRuns.run(2, "compute", options("iterations", "300000000"), m -> {
            try {
                while (m.vcpus().get(1).state() != VcpuState.RUNNING) {
                    Thread.sleep(1);
                }
                for (int i = 0; i < 100_000; i++) { // until the run ends and interrupts this thread
                    m.raiseInterrupt(1, GuestAbi.VECTOR_KICK);
                    Thread.sleep(10);
                }
            } catch (InterruptedException done) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(r.results().ok()).as(r.describe()).isTrue();
        RunResults.Row ap = r.results().rows().get(1);
        assertThat(ap.interrupts()).as("interrupts taken by vCPU 1").isPositive();
        assertThat(r.results().outcome().exits().get(1)).as("vCPU 1 exits").containsKey("kicks");
    }

    /**
     * 100 Hz for a few seconds: enough periods to show, and far from the rate at which taking one interrupt
     * costs more than a period. Under nested emulation (e2e/qemu-kvm) one timer interrupt — the host timer
     * thread's wake-up, the kick, injection, the guest's EOI through userspace — costs 1.5 to 4 ms of guest
     * progress: 1e9 compute iterations took 2.98 s without the timer, 7.93 s at 250 Hz, 9.81 s at 1000 Hz.
     */
    @Test
    void theGuestsApicTimerInterruptsItsWorkload() throws Exception {
        int hz = 100;
        GuestRuns.Result r = GuestRuns.run(1, "compute", options("iterations", "300000000", "timer-hz", Integer.toString(hz)));
        assertThat(r.results().ok()).as(r.describe()).isTrue();
        long interrupts = r.results().rows().getFirst().interrupts();
        assertThat(interrupts).as(r.describe()).isPositive();
        // Periodic mode never fires faster than programmed (late periods coalesce, none are added).
        double seconds = r.results().outcome().elapsed().toNanos() / 1e9;
        assertThat((double) interrupts).as("interrupts in %.1f s at %d Hz", seconds, hz).isLessThanOrEqualTo(hz * seconds + 1);
    }
}
