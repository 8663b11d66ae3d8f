package io.giantvm.engine.vm;

import io.giantvm.engine.cli.RunResults;
import io.giantvm.engine.guest.BundledGuest;
import io.giantvm.engine.guest.WorkloadSpec;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/** Boots the bundled guest on real KVM for integration tests and returns the checked results. */
final class GuestRuns {
    static final long MEMORY = 64L << 20;
    static final Duration TIMEOUT = Duration.ofSeconds(240);

    /** Results plus everything the guest printed. */
    record Result(RunResults results, String console) {
        /** How the run ended, for assertion messages: failure, guest status, problems, exits, console. */
        String describe() {
            RunOutcome o = results.outcome();
            return "failure=" + o.failure() + ", guest status=" + o.guestStatus() + ", elapsed=" + o.elapsed()
                    + ", problems=" + results.problems() + ", exits=" + o.exits() + "\nconsole:\n" + console;
        }
    }

    private GuestRuns() {}

    static Result run(int vcpus, String workload, Map<String, String> options) throws InterruptedException {
        return run(vcpus, workload, options, m -> { });
    }

    /** {@code during} runs on its own thread while the guest runs. */
    static Result run(int vcpus, String workload, Map<String, String> options, Consumer<Machine> during)
            throws InterruptedException {
        WorkloadSpec spec = WorkloadSpec.parse(workload, options);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        MachineSpec ms = new MachineSpec(vcpus, Math.max(MEMORY, roundUp(spec.minimumMemoryBytes(vcpus))),
                BundledGuest.image(), spec.toKernelCommandLine(vcpus), console);
        try (Machine m = Machine.create(ms)) {
            Thread helper = Thread.ofPlatform().name("test-during-run").start(() -> during.accept(m));
            RunOutcome outcome = m.run(TIMEOUT);
            helper.interrupt();
            helper.join(10_000);
            return new Result(RunResults.of(spec, vcpus, outcome), console.toString());
        }
    }


    private static long roundUp(long v) {
        long step = 2L << 20;
        return (v + step - 1) / step * step;
    }
}
