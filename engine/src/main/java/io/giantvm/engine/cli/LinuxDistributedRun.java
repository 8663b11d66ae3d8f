package io.giantvm.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.giantvm.engine.config.GuestSpec;
import io.giantvm.engine.config.VmDescription;
import io.giantvm.engine.numa.NumaTopology;
import io.giantvm.engine.numa.SlitDistance;
import io.giantvm.engine.linux.DefaultLinuxGuest;
import io.giantvm.engine.linux.InitReport;
import io.giantvm.engine.linux.KernelSymbols;
import io.giantvm.engine.vm.RunOutcome;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code giantvm run --guest linux --nodes N}: one Linux over N node processes on this host. The nodes do the
 * work ({@code giantvm node} with the description's {@code guest}); this prints the I/O node's console, then the
 * same results and check as a one-node Linux run, each node's DSM statistics, and the pages that moved most named
 * after the kernel symbols in them where the kernel's System.map is at hand.
 */
final class LinuxDistributedRun {
    private LinuxDistributedRun() {}

    static int execute(int nodes, int vcpusPerNode, long memory, GuestSpec guest, LinuxGuestFiles files, boolean numa,
                       int timeoutSeconds, boolean json, PrintStream out, PrintStream err) throws InterruptedException {
        PrintStream console = json ? err : out;
        console.printf("giantvm: Linux guest over %d nodes x %d vCPUs, %s RAM, kernel %s%n", nodes, vcpusPerNode,
                io.giantvm.engine.guest.Sizes.format(memory), files.kernelPath());
        Optional<KernelSymbols> symbols = KernelSymbols.read(KernelSymbols.besides(files.kernelPath()),
                files.guest().kernel().preferredAddress());
        // The default guest is resolved once, here: node 0 takes those very files instead of running build-guest.sh
        // again (without the archive, e.g. under e2e/qemu-kvm, that takes minutes while its peers wait for the mesh).
        Map<String, String> env = guest.image() == GuestSpec.Image.BUNDLED_LINUX
                ? Map.of(DefaultLinuxGuest.PREBUILT_ENV, files.kernelPath().toAbsolutePath().getParent().toString()) : Map.of();
        return DistributedRun.run(nodes, vcpusPerNode, memory, Optional.empty(), Optional.of(guest), numa, env, timeoutSeconds, console, err,
                (d, ending, results, stats) -> report(d, files, symbols, ending, results, stats, json, out, err));
    }

    private static int report(VmDescription d, LinuxGuestFiles files, Optional<KernelSymbols> symbols, NodeProcesses.Ending ending,
                              Path results, List<Path> statsFiles, boolean json, PrintStream out, PrintStream err) {
        DistributedRun.Gathered g = DistributedRun.gather(statsFiles, results, err);
        RunOutcome outcome = g.outcome();
        NodeResultsJson.LinuxConsole linux = outcome == null ? null : NodeResultsJson.readLinux(results);
        symbols.ifPresent(s -> g.stats().forEach(n -> nameHotPages(n, s)));
        LinuxRunResults checked = null;
        if (outcome != null) {
            InitReport report = new InitReport();
            if (linux != null) {
                linux.initLines().forEach(report::accept);
            }
            // Checked against what node 0 declared: it measures the distance at start.
            SlitDistance declared = NodeStatsJson.declaredSlit(g.stats())
                    .orElseGet(() -> SlitDistance.fallback("node 0's statistics say nothing about it"));
            checked = new LinuxRunResults(d.totalVcpus(), files.tests(), report, outcome, NumaTopology.forVm(d, declared));
            if (json) {
                LinuxResultJson.print(checked, g.stats(), out);
            } else {
                LinuxResultTable.print(checked, out);
            }
        }
        PrintStream statsOut = json ? err : out;
        DistributedRun.printStats(d, g.stats(), statsOut);
        for (JsonNode n : g.stats()) {
            hotPageLines(n).forEach(statsOut::println);
        }
        if (symbols.isEmpty()) {
            statsOut.println("(no System.map beside " + files.kernelPath() + ": pages are not named after kernel symbols)");
        }
        if (outcome != null && outcome.failure() != null && linux != null && !linux.lastLines().isEmpty()) {
            err.println("giantvm: the I/O node's console, last lines:");
            linux.lastLines().forEach(l -> err.println("  | " + l));
        }
        return DistributedRun.verdict(d, ending, outcome, checked == null ? null : checked.problems(), err);
    }

    /** Adds "symbol" to each of the node's top moved pages that lies in the kernel image. */
    private static void nameHotPages(JsonNode node, KernelSymbols symbols) {
        for (JsonNode p : node.path("topMovedPages")) {
            long address = Long.parseLong(p.path("address").asText().substring(2), 16);
            symbols.describePage(address).ifPresent(name -> ((ObjectNode) p).put("symbol", name));
        }
    }

    private static List<String> hotPageLines(JsonNode node) {
        String n = "node " + node.path("node").asInt();
        StringBuilder b = new StringBuilder();
        for (JsonNode p : node.path("topMovedPages")) {
            b.append(String.format(Locale.ROOT, "%n  %s x%d %s", p.path("address").asText(), p.path("moves").asLong(),
                    p.has("symbol") ? "(" + p.path("symbol").asText() + ")" : "(not in the kernel image)"));
        }
        return b.isEmpty() ? List.of() : List.of(n + " hottest pages (moves here):" + b);
    }
}
