package io.giantvm.engine.control;

import io.giantvm.engine.linux.InitReport;
import io.giantvm.engine.linux.SysbenchResult;

import java.util.List;
import java.util.Objects;

/**
 * What a Linux guest reported about itself, as the I/O node serves it in its outcome (control.proto's
 * GuestReport; the operator shows it as GiantVM {@code status.guest}). One place that turns /init's report
 * into the wire form, so the CLI's JSON and the operator's status describe a run the same way.
 *
 * @param os       the kernel release, or null when /init never said
 * @param nproc    CPUs the guest brought up, or null when /init never said
 * @param sysbench the tests /init ran, in order
 */
public record GuestReport(String os, Integer nproc, List<SysbenchResult> sysbench) {
    public GuestReport {
        sysbench = List.copyOf(Objects.requireNonNull(sysbench, "sysbench"));
    }

    /** What /init printed so far (kernel, nproc, each sysbench test). */
    public static GuestReport of(InitReport init) {
        return new GuestReport(init.kernel(), init.nproc(), init.sysbench());
    }

    io.giantvm.control.v1.GuestReport toWire() {
        var b = io.giantvm.control.v1.GuestReport.newBuilder();
        if (os != null) {
            b.setOs(os);
        }
        if (nproc != null) {
            b.setNproc(nproc);
        }
        for (SysbenchResult r : sysbench) {
            b.addSysbench(io.giantvm.control.v1.SysbenchReport.newBuilder().setTest(r.test()).setEvents(r.events())
                    .setEventsPerSecond(r.eventsPerSecond()).setLatencyAvgMs(r.latencyAvgMs())
                    .setLatencyP95Ms(r.latencyP95Ms()));
        }
        return b.build();
    }
}
