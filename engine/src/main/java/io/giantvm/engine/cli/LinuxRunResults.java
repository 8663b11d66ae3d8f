package io.giantvm.engine.cli;

import io.giantvm.engine.linux.InitReport;
import io.giantvm.engine.linux.NumaNodeReport;
import io.giantvm.engine.linux.SysbenchResult;
import io.giantvm.engine.numa.NumaTopology;
import io.giantvm.engine.numa.ProximityDomain;
import io.giantvm.engine.vm.RunOutcome;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Linux run's results and its check: the guest ended cleanly (a power-off, or a restart it asked for); where
 * sysbench tests were requested, /init reported status 0, saw as many CPUs as the VM has, every requested test
 * ran with events > 0; and — where /init lists NUMA nodes and the
 * VM declared proximity domains — Linux made one node per domain with that domain's CPUs.
 */
record LinuxRunResults(int vcpus, List<String> requestedTests, InitReport report, RunOutcome outcome,
                       Optional<NumaTopology> numa) {
    LinuxRunResults(int vcpus, List<String> requestedTests, InitReport report, RunOutcome outcome) {
        this(vcpus, requestedTests, report, outcome, Optional.empty());
    }

    List<String> problems() {
        List<String> p = new ArrayList<>();
        if (outcome.failure() != null) {
            p.add(outcome.failure().getMessage());
            return p;
        }
        if (outcome.guestStatus() != 0) {
            p.add("the guest ended with status " + outcome.guestStatus());
        }
        report.errors().forEach(e -> p.add("/init: " + e));
        // Without tests to run (a shell, a user's initrd) the guest ends when its user says so: a power-off or a
        // restart before /init's last line is a normal end, and a user's /init need not speak our report lines.
        boolean measuring = !requestedTests.isEmpty();
        if (report.nproc() == null) {
            if (measuring) {
                p.add("/init never reported (no '@@GIANTVM init' line)");
            }
            return p;
        }
        if (report.doneStatus() == null) {
            if (measuring) {
                p.add("/init did not finish (no '@@GIANTVM done' line)");
            }
        } else if (report.doneStatus() != 0) {
            p.add("/init reported status " + report.doneStatus());
        }
        if (report.nproc() != vcpus) {
            p.add("the guest sees " + report.nproc() + " CPUs, the VM has " + vcpus);
        }
        numa.ifPresent(t -> p.addAll(numaProblems(t, report.numaNodes())));
        for (String test : requestedTests) {
            SysbenchResult r = report.sysbench().stream().filter(s -> s.test().equals(test)).findFirst().orElse(null);
            if (r == null) {
                p.add("sysbench " + test + " reported nothing");
            } else if (r.events() <= 0) {
                p.add("sysbench " + test + " counted no events");
            }
        }
        return p;
    }

    /** Nothing to say when /init listed no nodes (a user's initrd, an older /init). */
    static List<String> numaProblems(NumaTopology declared, List<NumaNodeReport> seen) {
        if (seen.isEmpty()) {
            return List.of();
        }
        if (seen.size() != declared.domains().size()) {
            return List.of("the guest sees " + seen.size() + " NUMA node(s), the VM declares " + declared.domains().size());
        }
        List<String> p = new ArrayList<>();
        for (ProximityDomain d : declared.domains()) {
            // Linux numbers CPUs in MADT order, which is vCPU order: its CPU numbers are vCPU indexes, not APIC ids.
            String cpus = d.vcpus() == 1 ? String.valueOf(d.firstVcpu())
                    : d.firstVcpu() + "-" + (d.firstVcpu() + d.vcpus() - 1);
            NumaNodeReport n = seen.stream().filter(s -> s.node() == d.domain()).findFirst().orElse(null);
            if (n == null) {
                p.add("the guest has no NUMA node " + d.domain());
            } else if (!n.cpus().equals(cpus)) {
                p.add("the guest's NUMA node " + d.domain() + " has CPUs " + n.cpus() + ", the VM declares " + cpus);
            } else if (!n.distance().equals(distanceRow(declared, d.domain()))) {
                p.add("the guest's NUMA node " + d.domain() + " has distances " + n.distance() + ", the SLIT says "
                        + distanceRow(declared, d.domain()));
            }
        }
        return p;
    }

    private static String distanceRow(NumaTopology t, int from) {
        StringBuilder row = new StringBuilder();
        for (ProximityDomain to : t.domains()) {
            row.append(row.isEmpty() ? "" : ",").append(t.distance(from, to.domain()));
        }
        return row.toString();
    }

    boolean ok() {
        return problems().isEmpty();
    }

    /** Exits of vCPU {@code i}, all reasons together. */
    long totalExits(int i) {
        return outcome.exits().get(i).values().stream().mapToLong(Long::longValue).sum();
    }
}
