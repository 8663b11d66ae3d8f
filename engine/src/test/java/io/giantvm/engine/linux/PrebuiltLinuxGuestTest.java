package io.giantvm.engine.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node image carries the default guest already built ({@code GIANTVM_LINUX_GUEST_DIR}). */
class PrebuiltLinuxGuestTest {
    @Test
    void aDirectoryWithBothFilesIsTheGuest(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("vmlinuz"), new byte[] {1});
        Files.write(dir.resolve("initramfs.cpio.gz"), new byte[] {2});
        assertThat(DefaultLinuxGuest.prebuilt(dir))
                .isEqualTo(new DefaultLinuxGuest.GuestFiles(dir.resolve("vmlinuz"), dir.resolve("initramfs.cpio.gz")));
    }

    @Test
    void aDirectoryWithoutThemIsRefusedNamingTheVariable(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("vmlinuz"), new byte[] {1});
        assertThatThrownBy(() -> DefaultLinuxGuest.prebuilt(dir))
                .isInstanceOf(DefaultGuestUnavailableException.class)
                .hasMessage("GIANTVM_LINUX_GUEST_DIR=" + dir + " names no default Linux guest (vmlinuz and initramfs.cpio.gz expected there)");
    }
}
