package io.giantvm.engine.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelSymbolsTest {
    /** As Linux's System.map: sorted by address, per-cpu offsets at the bottom, the image from _text to _end. */
    private static final List<String> MAP = List.of(
            "0000000000000000 D __per_cpu_start",
            "000000000001f000 D runqueues",
            "ffffffff81000000 T _text",
            "ffffffff81000000 T startup_64",
            "ffffffff81000100 T secondary_startup_64",
            "ffffffff82a05000 D jiffies_64",
            "ffffffff82a05000 D jiffies",
            "ffffffff82a05040 d tick_next_period",
            "ffffffff82a05800 D loops_per_jiffy",
            "ffffffff82a05900 d a",
            "ffffffff82a05910 d b",
            "ffffffff82a06010 B big_buffer",
            "ffffffff83000000 B _end");
    private static final long LOADED_AT = 0x100_0000; // Debian's pref_address, 16 MiB

    private final KernelSymbols symbols = KernelSymbols.parse(MAP, LOADED_AT).orElseThrow();

    @Test
    void aPageIsNamedAfterTheSymbolsInIt() {
        // virtual 0xffffffff82a05000 - _text + 16 MiB
        assertThat(symbols.describePage(0x2a0_5000L)).contains("jiffies_64, jiffies, tick_next_period, loops_per_jiffy +2 more");
        assertThat(symbols.describePage(0x100_0000L)).contains("_text, startup_64, secondary_startup_64");
    }

    @Test
    void aPageInsideALargeSymbolIsNamedAfterIt() {
        assertThat(symbols.describePage(0x2a0_7000L)).contains("big_buffer");
        assertThat(symbols.describePage(0x2a0_6000L)).contains("b, big_buffer");
    }

    @Test
    void pagesOutsideTheKernelImageHaveNoName() {
        assertThat(symbols.describePage(0xFF_F000L)).isEmpty();
        assertThat(symbols.describePage(0x300_0000L)).isEmpty();
        assertThat(symbols.describePage(0x1000_0000L)).isEmpty();
    }

    @Test
    void debiansPlaceholderHasNoSymbols() {
        assertThat(KernelSymbols.parse(List.of("ffffffffffffffff B The real System.map is in the linux-image-<version>-dbg package"),
                LOADED_AT)).isEmpty();
    }

    @Test
    void theMapIsFoundBesideTheKernel(@TempDir Path dir) throws Exception {
        assertThat(KernelSymbols.besides(dir.resolve("vmlinuz"))).isEqualTo(dir.resolve("System.map"));
        Files.writeString(dir.resolve("System.map-6.1.0-57-cloud-amd64"), String.join("\n", MAP));
        Path versioned = KernelSymbols.besides(dir.resolve("vmlinuz-6.1.0-57-cloud-amd64"));
        assertThat(versioned).isEqualTo(dir.resolve("System.map-6.1.0-57-cloud-amd64"));
        assertThat(KernelSymbols.read(versioned, LOADED_AT).orElseThrow().describePage(0x2a0_5000L)).isPresent();
        assertThat(KernelSymbols.read(dir.resolve("missing"), LOADED_AT)).isEmpty();
    }
}
