package io.giantvm.engine.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The PNG is written, is a picture of the expected size, and has one bar per ratio there is: counted in its pixels. */
class PaperChartTest {
    private static final PaperHost HOST = new PaperHost("build-host", 2, Instant.parse("2026-12-06T06:10:00Z"), 0.5, 2.25);

    /** Bars on the row just above the axis: runs of pixels in a series' colour, a new bar where the colour changes. */
    private static int barsIn(BufferedImage img, Set<Integer> colours) {
        int y = PaperChart.BASELINE_Y - 1;
        int bars = 0;
        int previous = -1;
        for (int x = 0; x < img.getWidth(); x++) {
            int rgb = img.getRGB(x, y) & 0xffffff;
            if (colours.contains(rgb) && rgb != previous) {
                bars++;
            }
            previous = rgb;
        }
        return bars;
    }

    private static Set<Integer> colours(PaperTable t) {
        return PaperChart.series(t).stream().map(s -> s.color().getRGB() & 0xffffff).collect(Collectors.toSet());
    }

    private static BufferedImage written(PaperTable t, Path file) throws Exception {
        PaperChart.write(t, file);
        assertThat(Files.size(file)).isPositive();
        BufferedImage img = ImageIO.read(file.toFile());
        assertThat(img).as("a PNG ImageIO reads back").isNotNull();
        assertThat(img.getWidth()).isEqualTo(PaperChart.WIDTH);
        assertThat(img.getHeight()).isEqualTo(PaperChart.HEIGHT);
        return img;
    }

    @Test
    void numaOnAndOffGiveTenBarsOfOursAndThreeOfThePapers(@TempDir Path dir) throws Exception {
        PaperTable t = PaperTableTest.both(HOST);
        BufferedImage img = written(t, dir.resolve("paper.png"));
        assertThat(PaperChart.bars(PaperChart.series(t))).isEqualTo(13);
        assertThat(barsIn(img, colours(t))).isEqualTo(13);
        assertThat(PaperChart.series(t)).extracting(PaperChart.Series::name).containsExactly(
                "ours, 2 nodes x 1 vCPU, NUMA on", "ours, 2 nodes x 1 vCPU, NUMA off", "GiantVM (TURC'19, 4 machines)");
    }

    @Test
    void oneRunAndTheMissingFiguresOfAFailedRunDrawNoBar(@TempDir Path dir) throws Exception {
        PaperTable onlyOn = new PaperTable(List.of(PaperTableTest.ok(PaperTableTest.ONE, "one-node.json"),
                PaperTableTest.ok(PaperTableTest.ON, "two-nodes-numa-on.json")), HOST, 5);
        assertThat(barsIn(written(onlyOn, dir.resolve("on.png")), colours(onlyOn))).isEqualTo(5 + 3);

        PaperTable unfinished = new PaperTable(List.of(PaperTableTest.ok(PaperTableTest.ONE, "one-node.json"),
                PaperTableTest.ok(PaperTableTest.ON, "two-nodes-numa-on.json"),
                new PaperRunResult(PaperTableTest.OFF, 1, PaperTableTest.fixture("two-nodes-numa-off-unfinished.json"), List.of())),
                HOST, 5);
        assertThat(barsIn(written(unfinished, dir.resolve("unfinished.png")), colours(unfinished))).isEqualTo(5 + 3 + 3);
    }
}
