package io.giantvm.engine.cli;

import io.giantvm.engine.boot.linux.DebianKernel;
import io.giantvm.engine.kvm.HostKvmKind;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A Linux guest asked for with bad input ends with one line and exit 2, before any VM exists. */
class LinuxRunBadInputTest extends CliTestBase {
    @Test
    void aMissingKernel(@TempDir Path dir) {
        assertThat(run("run", "--kernel", dir.resolve("bzImage").toString())).isEqualTo(2);
        assertThat(errLine()).isEqualTo("giantvm: kernel " + dir.resolve("bzImage") + " does not exist");
    }

    @Test
    void aFileThatIsNotABzImage(@TempDir Path dir) throws Exception {
        Path p = Files.writeString(dir.resolve("notes.txt"), "hello\n".repeat(200));
        assertThat(run("run", "--kernel", p.toString())).isEqualTo(2);
        assertThat(errLine()).startsWith("giantvm: " + p + ": not a bzImage");
    }

    @Test
    void memoryBelowWhatDebiansKernelNeeds() {
        Path kernel = DebianKernel.kernel();
        Path initrd = DebianKernel.files().initrd();
        assertThat(run("run", "--kernel", kernel.toString(), "--initrd", initrd.toString(), "--memory", "64M")).isEqualTo(2);
        assertThat(errLine()).startsWith("giantvm: memory 64 MiB is too small for this kernel").contains("at least");
    }

    @Test
    void aMissingInitrd(@TempDir Path dir) {
        Path kernel = DebianKernel.kernel();
        assertThat(run("run", "--kernel", kernel.toString(), "--initrd", dir.resolve("x.img").toString())).isEqualTo(2);
        assertThat(errLine()).isEqualTo("giantvm: initrd " + dir.resolve("x.img") + " does not exist");
    }

    @Test
    void optionsThatDoNotGoTogether() {
        assertThat(run("run", "--guest", "linux", "--sysbench", "cpu,disk")).isEqualTo(2);
        assertThat(errLine()).isEqualTo("giantvm: unknown sysbench test 'disk' (tests: cpu,memory,mutex,threads,memory-read-global,memory-write-local)");
        err.reset();
        assertThat(run("run", "--guest", "linux", "--workload", "mutex")).isEqualTo(2);
        assertThat(errLine()).contains("unknown option --workload");
    }

    @Test
    void numaTakesOnOrOffAndTheTestHookMustSplitTheVcpus() {
        assertThat(run("run", "--guest", "linux", "--numa", "maybe")).isEqualTo(2);
        assertThat(errLine()).isEqualTo("giantvm: --numa must be on or off, got 'maybe'");
        err.reset();
        assertThat(run("run", "--nodes", "2", "--numa", "yes")).isEqualTo(2);
        assertThat(errLine()).isEqualTo("giantvm: --numa must be on or off, got 'yes'");
        err.reset();
        assertThat(run("run", "--guest", "linux", "--vcpus", "3", "--test-only-numa-nodes", "2")).isEqualTo(2);
        assertThat(errLine()).isEqualTo("giantvm: --test-only-numa-nodes 2 must divide --vcpus 3");
    }

    @Test
    void numaNodesWhosePackagesOfApicIdsDoNotFitAnXapicAreRefused() {
        assertThat(run("run", "--guest", "linux", "--nodes", "33", "--vcpus-per-node", "1")).isEqualTo(2);
        assertThat(errLine()).isEqualTo("giantvm: 33 nodes x 1 vCPUs: as NUMA nodes each needs 8 APIC ids (a package with its"
                + " own cache), so the largest would be 256, above the xAPIC's 254; use fewer nodes or NUMA off (--numa off, numa: false)");
        err.reset();
        assertThat(run("run", "--guest", "linux", "--vcpus", "64", "--test-only-numa-nodes", "64")).isEqualTo(2);
        assertThat(errLine()).startsWith("giantvm: 64 nodes x 1 vCPUs: as NUMA nodes each needs 8 APIC ids");
    }

    @Test
    void aPvmHostIsRefusedInOneLine() {
        Assumptions.assumeTrue(HostKvmKind.detect() == HostKvmKind.PVM, "skipped: this host's KVM is not PVM");
        assertThat(run("run", "--guest", "linux")).isEqualTo(2);
        assertThat(errLine()).startsWith("giantvm: this host's KVM is PVM");
    }
}
