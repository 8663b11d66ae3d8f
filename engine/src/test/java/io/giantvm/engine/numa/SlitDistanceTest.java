package io.giantvm.engine.numa;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlitDistanceTest {
    @Test
    void remoteIsTenTimesTheRatioOfRemoteFaultToLocalFault() {
        assertThat(SlitDistance.fromLatency(68.8, 16.8, "x").remote()).isEqualTo(41);
        assertThat(SlitDistance.fromLatency(100, 20, "x").remote()).isEqualTo(50);
        assertThat(SlitDistance.DEFAULT.remote()).isEqualTo(41);
    }

    @Test
    void boundedSoLinuxKeepsTheTableAndNeverReadsUnreachable() {
        SlitDistance far = SlitDistance.fromLatency(100, 0.1, "dram");
        assertThat(far.remote()).isEqualTo(254);
        assertThat(far.explain()).contains("bounded to 11..254");
        assertThat(SlitDistance.fromLatency(10, 10, "same").remote()).isEqualTo(11);
        assertThat(SlitDistance.fromLatency(68.8, 16.8, "x").explain()).doesNotContain("bounded");
    }

    @Test
    void theExplanationNamesTheFiguresAndTheirSource() {
        assertThat(SlitDistance.DEFAULT.explain())
                .isEqualTo("41 = 10 x remote fault 68.8 µs / local fault 16.8 µs (default: bench dsm-latency on the build host,"
                        + " README 'DSM performance'; nothing measured at start)");
    }

    @Test
    void latenciesMustBePositive() {
        assertThatThrownBy(() -> SlitDistance.fromLatency(0, 1, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SlitDistance.fromLatency(1, Double.NaN, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SlitDistance(255, 1, 1, "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
