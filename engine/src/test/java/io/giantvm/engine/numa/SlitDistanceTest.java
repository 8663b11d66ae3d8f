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
    void roundsToTheNearestDistanceHalvesUp() {
        assertThat(SlitDistance.fromLatency(809, 200, "x").remote()).isEqualTo(40); // 40.45
        assertThat(SlitDistance.fromLatency(81, 20, "x").remote()).isEqualTo(41); // 40.5
        assertThat(SlitDistance.fromLatency(819, 200, "x").remote()).isEqualTo(41); // 40.95
    }

    @Test
    void neverTenOrLessSinceLinuxWouldDropTheTable() {
        assertThat(SlitDistance.fromLatency(104, 100, "x").remote()).isEqualTo(11); // 10.4 rounds to 10: too close
        assertThat(SlitDistance.fromLatency(105, 100, "x").remote()).isEqualTo(11); // 10.5 rounds to 11, the first distance Linux keeps
        assertThat(SlitDistance.fromLatency(0.5, 1, "remote faster?").remote()).isEqualTo(11);
        assertThat(SlitDistance.fromLatency(0.5, 1, "x").explain()).contains("bounded to 11..254");
    }

    @Test
    void cappedAt254SinceLinuxReads255AsUnreachable() {
        assertThat(SlitDistance.fromLatency(2540, 100, "x").remote()).isEqualTo(254);
        assertThat(SlitDistance.fromLatency(2540, 100, "x").explain()).doesNotContain("bounded");
        assertThat(SlitDistance.fromLatency(25450, 1000, "x").remote()).isEqualTo(254); // 254.5
        assertThat(SlitDistance.fromLatency(2550, 100, "x").remote()).isEqualTo(254);
    }

    @Test
    void theFallbackIsTheDefaultDistanceAndSaysWhyNothingWasMeasured() {
        SlitDistance f = SlitDistance.fallback("no peer answered");
        assertThat(f.remote()).isEqualTo(SlitDistance.DEFAULT.remote());
        assertThat(f.explain()).isEqualTo("41 = 10 x remote fault 68.8 µs / local fault 16.8 µs (default: bench dsm-latency"
                + " on the build host, README 'DSM performance'; not measured: no peer answered)");
    }

    @Test
    void latenciesMustBePositive() {
        assertThatThrownBy(() -> SlitDistance.fromLatency(0, 1, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SlitDistance.fromLatency(1, Double.NaN, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SlitDistance(255, 1, 1, "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
