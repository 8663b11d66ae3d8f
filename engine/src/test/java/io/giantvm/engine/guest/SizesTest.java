package io.giantvm.engine.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SizesTest {

    @Test
    void suffixesAre1024Based() {
        assertThat(Sizes.parse("total", "4096")).isEqualTo(4096);
        assertThat(Sizes.parse("total", "64K")).isEqualTo(65_536);
        assertThat(Sizes.parse("total", "64k")).isEqualTo(65_536);
        assertThat(Sizes.parse("total", "3M")).isEqualTo(3L << 20);
        assertThat(Sizes.parse("total", "2G")).isEqualTo(2L << 30);
    }

    @Test
    void rejectsNonSizesNamingTheOption() {
        for (String bad : new String[] {"", "K", "64KB", "1.5M", "-1", "64 K", "0x10", "9T"}) {
            assertThatThrownBy(() -> Sizes.parse("block-size", bad))
                    .isInstanceOf(InvalidWorkloadSpecException.class)
                    .hasMessageContaining("--block-size")
                    .hasMessageContaining("is not a size");
        }
    }

    @Test
    void rejectsOverflow() {
        assertThatThrownBy(() -> Sizes.parse("total", "9999999999G"))
                .isInstanceOf(InvalidWorkloadSpecException.class).hasMessageContaining("too large");
        assertThatThrownBy(() -> Sizes.parse("total", "99999999999999999999"))
                .isInstanceOf(InvalidWorkloadSpecException.class);
    }

    @Test
    void formatsExactly() {
        assertThat(Sizes.format(65_536)).isEqualTo("64K");
        assertThat(Sizes.format(64L << 20)).isEqualTo("64M");
        assertThat(Sizes.format(3L << 30)).isEqualTo("3G");
        assertThat(Sizes.format(1000)).isEqualTo("1000");
        assertThat(Sizes.format(1536)).isEqualTo("1536");
    }
}
