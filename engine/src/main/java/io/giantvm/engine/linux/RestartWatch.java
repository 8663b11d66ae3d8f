package io.giantvm.engine.linux;

import io.giantvm.engine.cpu.GuestCrashException;
import io.giantvm.engine.vm.RunOutcome;

import java.util.function.Consumer;

/**
 * Tells a restart the guest asked for from a crash. With {@code reboot=t} (the default command line) Linux restarts
 * by triple fault, which KVM reports as a shutdown exit, and a panic ({@code panic=-1}) ends the same way. An orderly
 * restart ({@code reboot} in the shell, {@code reboot(2)}) first prints {@value #RESTARTING}; a panic prints
 * {@value #PANIC} and never that line. This VM does not model a reset, so a requested restart ends the run as a
 * power-off would; a panic stays a crash. Fed the console's lines as they come; thread-safe.
 */
public final class RestartWatch implements Consumer<String> {
    public static final String RESTARTING = "reboot: Restarting system";
    static final String PANIC = "Kernel panic - not syncing";

    private boolean restartRequested;
    private boolean panicked;

    @Override
    public synchronized void accept(String line) {
        if (line.contains(PANIC)) {
            panicked = true;
        } else if (line.contains(RESTARTING)) {
            restartRequested = true;
        }
    }

    /** Whether the guest asked for a restart (and did not panic). */
    public synchronized boolean restartRequested() {
        return restartRequested && !panicked;
    }

    /**
     * {@code outcome}, except that a shutdown exit after a requested restart becomes a clean end with status 0: the
     * guest asked for it. Any other failure passes unchanged.
     */
    public RunOutcome judge(RunOutcome outcome) {
        if (outcome.failure() instanceof GuestCrashException crash && crash.isShutdown() && restartRequested()) {
            return new RunOutcome(0, null, outcome.reports(), outcome.elapsed(), outcome.exits(), outcome.tscKhz());
        }
        return outcome;
    }
}
