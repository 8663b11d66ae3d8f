package io.giantvm.engine.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StaticPagesPortTest {
    private final List<long[]> declared = new ArrayList<>();
    private final StaticPagesPort port = new StaticPagesPort(64L << 20, (a, l) -> declared.add(new long[] {a, l}));

    @Test
    void addressThenLengthDeclaresTheRangeOnce() {
        port.write(0, 0, 4, 0x104000);
        assertThat(declared).isEmpty();
        port.write(0, 4, 4, 0x6000);
        assertThat(declared).containsExactly(new long[] {0x104000, 0x6000});
        assertThatThrownBy(() -> port.write(0, 4, 4, 0x1000)).as("a length without a new address")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unalignedEmptyOrOutsideRamRangesAreRefusedWithTheRange() {
        port.write(1, 0, 4, 0x104010);
        assertThatThrownBy(() -> port.write(1, 4, 4, 0x1000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vCPU 1 declared static pages [0x104010, +0x1000)");
        port.write(0, 0, 4, 0x104000);
        assertThatThrownBy(() -> port.write(0, 4, 4, 0)).isInstanceOf(IllegalArgumentException.class);
        port.write(0, 0, 4, (64L << 20) - 0x1000);
        assertThatThrownBy(() -> port.write(0, 4, 4, 0x2000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inside the 67108864 bytes of guest RAM");
        assertThat(declared).isEmpty();
    }
}
