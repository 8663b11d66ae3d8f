package io.giantvm.engine.cli;

import io.giantvm.engine.linux.InitReport;
import io.giantvm.engine.linux.SysbenchResult;
import io.giantvm.engine.vm.RunOutcome;

import java.util.ArrayList;
import java.util.List;

/**
 * A Linux run's results and its check: /init reported status 0 and ended the VM with it, saw as many
 * CPUs as the VM has, and every requested sysbench test ran with events > 0.
 */
record LinuxRunResults(int vcpus, List<String> requestedTests, InitReport report, RunOutcome outcome) {
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
        if (report.nproc() == null) {
            p.add("/init never reported (no '@@GIANTVM init' line)");
            return p;
        }
        if (report.doneStatus() == null) {
            p.add("/init did not finish (no '@@GIANTVM done' line)");
        } else if (report.doneStatus() != 0) {
            p.add("/init reported status " + report.doneStatus());
        }
        if (report.nproc() != vcpus) {
            p.add("the guest sees " + report.nproc() + " CPUs, the VM has " + vcpus);
        }
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

    boolean ok() {
        return problems().isEmpty();
    }

    /** Exits of vCPU {@code i}, all reasons together. */
    long totalExits(int i) {
        return outcome.exits().get(i).values().stream().mapToLong(Long::longValue).sum();
    }
}
