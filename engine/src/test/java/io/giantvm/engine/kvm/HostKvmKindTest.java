package io.giantvm.engine.kvm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class HostKvmKindTest {
    @Test
    void aLoadedKvmPvmModuleMeansPvm(@TempDir Path sys) throws Exception {
        Path module = sys.resolve("kvm_pvm");
        assertThat(HostKvmKind.detect(module)).isEqualTo(HostKvmKind.HARDWARE);
        Files.createDirectory(module);
        assertThat(HostKvmKind.detect(module)).isEqualTo(HostKvmKind.PVM);
    }
}
