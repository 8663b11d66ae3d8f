package io.giantvm.engine.linux;

import io.giantvm.engine.boot.linux.DebianKernel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The default guest's own sysbench, unpacked from its initramfs, really runs on this host. */
class HostSysbenchTest {
    @Test
    void theGuestsSysbenchRunsOnTheHostWithItsOwnLibraries() throws Exception {
        try (HostSysbench sysbench = HostSysbench.unpack(DebianKernel.files().initrd())) {
            SysbenchResult r = sysbench.run("cpu", 1, 1);
            assertThat(r.events()).isPositive();
            assertThat(r.seconds()).isBetween(0.5, 5.0);
            assertThat(r.latencyP95Ms()).isPositive();
        }
    }

    @Test
    void thePapersMemoryTestsRunOnTheHostUnderTheirOwnNames() throws Exception {
        try (HostSysbench sysbench = HostSysbench.unpack(DebianKernel.files().initrd())) {
            SysbenchResult r = sysbench.run("memory-write-local", 1, 1);
            assertThat(r.test()).isEqualTo("memory-write-local");
            assertThat(r.events()).isPositive();
        }
    }
}
