package io.giantvm.engine.kvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HostPaging on a fake /sys/module laid out as each vendor module lays out its parameters. */
class HostPagingTest {
    @TempDir
    Path sys;

    private void parameter(String module, String name, String value) throws Exception {
        Path dir = Files.createDirectories(sys.resolve(module).resolve("parameters"));
        Files.writeString(dir.resolve(name), value + "\n");
    }

    @Test
    void amdNestedPagingWritesOnWalksAndSaysNothingAvoidsIt() throws Exception {
        parameter("kvm_amd", "npt", "Y");
        HostPaging p = HostPaging.detect(sys);
        assertThat(p).isEqualTo(HostPaging.NESTED_WALKS_WRITE);
        assertThat(p.advice(sys)).get().asString().contains("(kvm_amd)").contains("AMD has no setting").doesNotContain("eptad");
    }

    @Test
    void amdWithNptOffIsShadowPaging() throws Exception {
        parameter("kvm_amd", "npt", "0");
        assertThat(HostPaging.detect(sys)).isEqualTo(HostPaging.SHADOW);
        assertThat(HostPaging.SHADOW.advice(sys)).get().asString().contains("shadows").contains("not known");
    }

    @Test
    void intelEptWithAccessedDirtyBitsWritesAndNamesTheRemedy() throws Exception {
        parameter("kvm_intel", "ept", "Y");
        parameter("kvm_intel", "eptad", "Y");
        assertThat(HostPaging.detect(sys)).isEqualTo(HostPaging.NESTED_WALKS_WRITE);
        assertThat(HostPaging.NESTED_WALKS_WRITE.advice(sys)).get().asString().contains("eptad=0");
    }

    @Test
    void intelEptWithoutAccessedDirtyBitsReadsAndNeedsNoAdvice() throws Exception {
        parameter("kvm_intel", "ept", "Y");
        parameter("kvm_intel", "eptad", "N");
        assertThat(HostPaging.detect(sys)).isEqualTo(HostPaging.NESTED_WALKS_READ);
        assertThat(HostPaging.NESTED_WALKS_READ.advice(sys)).isEmpty();
    }

    @Test
    void intelWithEptOffIsShadowPaging() throws Exception {
        parameter("kvm_intel", "ept", "N");
        parameter("kvm_intel", "eptad", "Y");
        assertThat(HostPaging.detect(sys)).isEqualTo(HostPaging.SHADOW);
    }

    @Test
    void pvmShadowsWhateverElseIsLoaded() throws Exception {
        Files.createDirectories(sys.resolve("kvm_pvm"));
        parameter("kvm_intel", "ept", "Y");
        assertThat(HostPaging.detect(sys)).isEqualTo(HostPaging.SHADOW);
        assertThat(HostPaging.SHADOW.advice(sys)).get().asString().contains("(kvm_pvm)");
    }

    @Test
    void noVendorModuleIsUnknownAndSilent() {
        assertThat(HostPaging.detect(sys)).isEqualTo(HostPaging.UNKNOWN);
        assertThat(HostPaging.UNKNOWN.advice(sys)).isEmpty();
    }
}
