package io.giantvm.operator.status;

import io.giantvm.control.v1.LinuxReport;
import io.giantvm.control.v1.NodeStatus;
import io.giantvm.control.v1.SysbenchResult;
import io.giantvm.operator.crd.GuestResult;
import io.giantvm.operator.crd.GuestStatus;
import io.giantvm.operator.crd.SysbenchStatus;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The VM has stopped as a whole, and why: a node died (its pod failed or its engine was restarted), or
 * the guest ended and the nodes report how (control API outcome, the I/O node's with the guest's result
 * preferred). Either way the guest is gone: the run strategy decides between restarting the whole VM
 * and keeping the result.
 *
 * @param succeeded the guest ended by itself with success
 * @param reason    one line for status.lastRestartReason and events, naming the node where one died
 * @param result    the guest's result as reported, or what is known without one
 * @param guest     what a Linux guest reported about itself (the I/O node's outcome), or null
 */
public record VmStop(boolean succeeded, String reason, GuestResult result, GuestStatus guest) {
    /** The node that owns the devices and the guest's reports (VmDescriptionWriter writes ioNode 0). */
    static final int IO_NODE = 0;

    public static Optional<VmStop> detect(List<NodeSlot> slots) {
        Optional<NodeSlot> dead = slots.stream()
                .filter(s -> s.health() != null && s.health().failure() != null).findFirst();
        List<NodeSlot> reported = slots.stream()
                .filter(s -> s.report() != null && s.report().reachable() && s.report().status().hasOutcome())
                .sorted(Comparator.comparingInt(NodeSlot::index)).toList();
        // A failure anywhere stops the VM now. A success is the I/O node's to tell (it holds the guest's
        // results and checks them); the other nodes report the exit status earlier than it does.
        Optional<NodeSlot> reporting = reported.stream()
                .filter(s -> !s.report().status().getOutcome().getSucceeded())
                .findFirst()
                .or(() -> reported.stream().filter(s -> s.index() == IO_NODE).findFirst());
        // A Linux guest's own report (kernel, nproc, sysbench) is read from the console on the I/O node; keep
        // it whoever tells the end, so that a failed run still shows how far the guest got.
        GuestStatus guest = reported.stream().filter(s -> s.report().status().getOutcome().hasLinux())
                .min(Comparator.comparingInt(s -> s.index() == IO_NODE ? -1 : s.index()))
                .map(s -> guest(s.report().status().getOutcome().getLinux())).orElse(null);
        if (dead.isPresent()) {
            NodeSlot d = dead.get();
            String why = "node " + d.index() + " (pod " + d.pod().getMetadata().getName() + ") died: " + d.health().failure();
            GuestResult r = reporting.map(VmStop::result).orElseGet(() -> {
                GuestResult g = new GuestResult();
                g.succeeded = false;
                g.exitStatus = -1;
                g.detail = why;
                return g;
            });
            return Optional.of(new VmStop(false, why, r, guest));
        }
        return reporting.map(s -> {
            GuestResult r = result(s);
            boolean ok = Boolean.TRUE.equals(r.succeeded);
            String ended = "the guest " + (ok ? "succeeded" : "failed") + ": " + r.detail;
            // The survivors of a killed node often say so before its kubelet reports the death: name the
            // node whose engine no longer answers, it is the one that died.
            Optional<NodeSlot> silent = ok ? Optional.empty() : slots.stream()
                    .filter(x -> x.pod() != null && x.report() != null && !x.report().reachable()).findFirst();
            return new VmStop(ok, silent.map(x -> "node " + x.index() + " (pod " + x.pod().getMetadata().getName()
                    + ") died (its control API does not answer); " + ended).orElse(ended), r, guest);
        });
    }

    /** The wire's unset fields (proto3: "" and 0) are absent in the status, not empty. */
    static GuestStatus guest(LinuxReport report) {
        GuestStatus g = new GuestStatus();
        g.os = !report.getOs().isEmpty() ? report.getOs() : report.getKernel().isEmpty() ? null : report.getKernel();
        g.nproc = report.getNproc() == 0 ? null : report.getNproc();
        for (SysbenchResult t : report.getSysbenchList()) {
            SysbenchStatus s = new SysbenchStatus();
            s.test = t.getTest();
            s.events = t.getEvents();
            s.eventsPerSecond = finite(t.getEventsPerSecond());
            s.latencyAvgMs = finite(t.getLatencyAvgMs());
            s.latencyP95Ms = finite(t.getLatencyP95Ms());
            g.sysbench.add(s);
        }
        return g;
    }

    /** The engine uses NaN for a figure /init did not print; JSON (and so the status) has no NaN. */
    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static GuestResult result(NodeSlot s) {
        NodeStatus st = s.report().status();
        GuestResult r = new GuestResult();
        r.succeeded = st.getOutcome().getSucceeded();
        r.exitStatus = st.getOutcome().getExitStatus();
        r.detail = st.getOutcome().getResult();
        r.node = s.index();
        return r;
    }
}
