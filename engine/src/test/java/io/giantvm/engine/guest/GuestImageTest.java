package io.giantvm.engine.guest;

import io.giantvm.engine.boot.MultibootImage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The image the build produced is a flat multiboot image laid out as CONTRACT.md says. */
class GuestImageTest {
    @Test
    void bundledImageLoadsWholeAtOneMebibyteAndFitsBelowItsLimit() throws Exception {
        byte[] image = GuestSources.image();
        MultibootImage h = MultibootImage.parse(image);
        assertThat(h.loadAddress()).isEqualTo(GuestAbi.LOAD_ADDRESS);
        assertThat(h.fileOffset()).isZero();
        assertThat(h.loadLength()).isEqualTo(image.length);
        assertThat(h.end()).isLessThanOrEqualTo(GuestAbi.IMAGE_MAX_END);
        assertThat(h.entry()).isBetween(h.loadAddress(), h.loadAddress() + h.loadLength() - 1);
    }
}
