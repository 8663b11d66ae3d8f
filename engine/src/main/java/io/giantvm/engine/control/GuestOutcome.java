package io.giantvm.engine.control;

import io.giantvm.engine.linux.InitReport;
import io.giantvm.engine.linux.SysbenchResult;

import java.util.Objects;

/**
 * How the guest ended, as a node that stays up after it reports it (control.proto's GuestOutcome).
 *
 * @param succeeded  status 0 and, where this node can check them, results that match the host's
 * @param exitStatus what the guest wrote to its debug-exit port, or -1 when it never did
 * @param result     one line: the guest's result or why it failed
 * @param linux      a Linux guest's /init report (on the I/O node), or null
 */
public record GuestOutcome(boolean succeeded, int exitStatus, String result, InitReport linux) {
    public GuestOutcome {
        Objects.requireNonNull(result, "result");
    }

    public GuestOutcome(boolean succeeded, int exitStatus, String result) {
        this(succeeded, exitStatus, result, null);
    }

    io.giantvm.control.v1.GuestOutcome toWire() {
        var b = io.giantvm.control.v1.GuestOutcome.newBuilder().setSucceeded(succeeded).setExitStatus(exitStatus)
                .setResult(result);
        if (linux != null && linux.nproc() != null) {
            b.setLinux(linuxToWire(linux));
        }
        return b.build();
    }

    static io.giantvm.control.v1.LinuxReport linuxToWire(InitReport r) {
        var b = io.giantvm.control.v1.LinuxReport.newBuilder()
                .setKernel(Objects.requireNonNullElse(r.kernel(), ""))
                .setOs(r.kernel() == null ? "Linux" : "Linux " + r.kernel())
                .setNproc(r.nproc() == null ? 0 : r.nproc())
                .setBootSeconds(r.bootSeconds() == null ? 0 : r.bootSeconds())
                .setInitStatus(r.doneStatus() == null ? -1 : r.doneStatus());
        for (SysbenchResult s : r.sysbench()) {
            b.addSysbench(io.giantvm.control.v1.SysbenchResult.newBuilder().setTest(s.test()).setThreads(s.threads())
                    .setEvents(s.events()).setSeconds(s.seconds()).setEventsPerSecond(s.eventsPerSecond())
                    .setLatencyAvgMs(s.latencyAvgMs()).setLatencyP95Ms(s.latencyP95Ms()).setLatencyMaxMs(s.latencyMaxMs()));
        }
        return b.build();
    }
}
