package io.giantvm.engine.cli;

import io.giantvm.engine.config.NodeEntry;
import io.giantvm.engine.config.VmDescription;
import io.giantvm.engine.control.EngineStatus;
import io.giantvm.engine.control.EngineStatusSource;
import io.giantvm.engine.control.GuestOutcome;
import io.giantvm.engine.control.GuestRunState;
import io.giantvm.engine.guest.ExpectedChecksums;
import io.giantvm.engine.guest.GuestAbi;
import io.giantvm.engine.guest.WorkloadSpec;
import io.giantvm.engine.vm.RunOutcome;

import io.giantvm.engine.linux.InitReport;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a node that stays up ({@code giantvm node --stay-up}, what a Kubernetes pod runs) says about itself
 * before, while and after its guest runs. Such a node never ends by itself: waiting for peers has no
 * deadline (it reports who it waits for; the operator decides), and once the guest stopped the node
 * reports how it ended and waits until it is terminated. A pod that exited instead would be restarted
 * alone by its kubelet, and one restarted node cannot rejoin a guest that lost part of its memory.
 */
final class NodeLifecycle {
    /** "No deadline": far beyond any pod's life, and still within System.nanoTime arithmetic. */
    static final Duration FOREVER = Duration.ofDays(365L * 100);

    private NodeLifecycle() {}

    /** Before the machine exists: loading the guest and mapping its memory. */
    static EngineStatusSource starting(VmDescription d, int id) {
        EngineStatus s = new EngineStatus(id, d.nodeCount(), d.name(), 0, d.vcpusPerNode(), 0,
                GuestRunState.STARTING, "loading the guest and mapping its memory");
        return new EngineStatusSource() {
            @Override
            public EngineStatus status() {
                return s;
            }

            @Override
            public Map<String, Long> counters() {
                return Map.of();
            }
        };
    }

    /** The machine's own status, with the peers it waits for named while the mesh forms. */
    static EngineStatusSource naming(EngineStatusSource machine, VmDescription d, int id) {
        String others = d.nodes().stream().filter(n -> n.id() != id)
                .map(NodeLifecycle::describe).collect(Collectors.joining(", "));
        return new EngineStatusSource() {
            @Override
            public EngineStatus status() {
                EngineStatus s = machine.status();
                if (s.guestState() != GuestRunState.WAITING_FOR_PEERS || !s.detail().isEmpty()) {
                    return s;
                }
                return new EngineStatus(s.nodeIndex(), s.nodeCount(), s.vmName(), s.vcpusRunning(),
                        s.vcpusAssigned(), s.meshPeersConnected(), s.guestState(),
                        "waiting for every peer to connect (no deadline): " + others);
            }

            @Override
            public Map<String, Long> counters() {
                return machine.counters();
            }
        };
    }

    private static String describe(NodeEntry n) {
        return "node " + n.id() + " at " + n.host() + ":" + n.meshPort();
    }

    /**
     * How the run ended, in one line. The I/O node holds the guest's reports and checks them against the
     * host (the mutex counter, checksums); the other nodes know only the exit status it announced.
     */
    static GuestOutcome outcome(RunOutcome run, WorkloadSpec spec, int vcpus, boolean ioNode) {
        if (run.failure() != null) {
            return new GuestOutcome(false, run.guestStatus(), String.valueOf(run.failure().getMessage()));
        }
        if (run.guestStatus() != 0) {
            return new GuestOutcome(false, run.guestStatus(), "the guest exited with status " + run.guestStatus()
                    + " (" + GuestAbi.describeExitStatus(run.guestStatus()) + ")");
        }
        if (!ioNode) {
            return new GuestOutcome(true, 0, "the guest exited with status 0 (its results are on the I/O node)");
        }
        RunResults r = RunResults.of(spec, vcpus, run);
        String line = r.summary() == null ? "no summary report"
                : "%s %s, expected %s".formatted(RunResults.summaryLabel(spec),
                Long.toUnsignedString(r.summary().checksum()), Long.toUnsignedString(ExpectedChecksums.summary(spec, vcpus)));
        String result = spec.workload().cliName() + " on " + vcpus + " vCPUs: " + line
                + (r.problems().isEmpty() ? "" : "; " + String.join("; ", r.problems()));
        return new GuestOutcome(r.ok(), 0, result);
    }

    /**
     * How a Linux guest's run ended, in one line plus (on the I/O node, which read /init's report off the console)
     * the report itself for the control API: the same check as {@code run --guest linux} (status 0, nproc = the
     * VM's vCPUs, every requested sysbench test counted events). Other nodes pass {@code report} null.
     */
    static GuestOutcome linuxOutcome(RunOutcome run, int vcpus, List<String> tests, InitReport report) {
        if (report == null) {
            GuestOutcome plain = run.failure() != null || run.guestStatus() != 0 ? outcomeOfFailure(run)
                    : new GuestOutcome(true, 0, "the guest powered off (its results are on the I/O node)");
            return plain;
        }
        LinuxRunResults r = new LinuxRunResults(vcpus, tests, report, run);
        if (run.failure() != null || run.guestStatus() != 0) {
            GuestOutcome f = outcomeOfFailure(run);
            return new GuestOutcome(false, f.exitStatus(), f.result(), report);
        }
        String tested = report.sysbench().stream()
                .map(s -> "%s %.1f events/s".formatted(s.test(), s.eventsPerSecond()))
                .collect(Collectors.joining(", "));
        String result = "Linux %s on %d vCPUs: nproc %s%s".formatted(report.kernel() == null ? "?" : report.kernel(), vcpus,
                report.nproc() == null ? "?" : report.nproc(), tested.isEmpty() ? "" : "; sysbench " + tested)
                + (r.ok() ? "" : "; " + String.join("; ", r.problems()));
        return new GuestOutcome(r.ok(), 0, result, report);
    }

    private static GuestOutcome outcomeOfFailure(RunOutcome run) {
        if (run.failure() != null) {
            return new GuestOutcome(false, run.guestStatus(), String.valueOf(run.failure().getMessage()));
        }
        return new GuestOutcome(false, run.guestStatus(), "the guest exited with status " + run.guestStatus());
    }

    /** Blocks until the process is terminated (SIGTERM from the kubelet when the operator deletes the pod). */
    static void serveUntilTerminated() throws InterruptedException {
        new java.util.concurrent.CountDownLatch(1).await();
    }
}
