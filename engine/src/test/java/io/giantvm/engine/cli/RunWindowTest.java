package io.giantvm.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunWindowTest {

    @Test
    void vcpusThatRanOneAfterAnotherDoNotOverlap() {
        RunWindow w = RunWindow.of(List.of(new RunWindow.Span(100, 200), new RunWindow.Span(200, 300)));
        assertThat(w.overlap()).isZero();
        assertThat(w.together()).isFalse();
        assertThat(w.earliestStartTsc()).isEqualTo(100);
    }

    @Test
    void overlapIsTheCommonSpanOverTheLongestRun() {
        RunWindow w = RunWindow.of(List.of(new RunWindow.Span(1_000, 2_000), new RunWindow.Span(1_010, 2_030)));
        assertThat(w.overlap()).isEqualTo(990 / 1020.0);
        assertThat(w.together()).isTrue();
        assertThat(RunWindow.of(List.of(new RunWindow.Span(0, 1000), new RunWindow.Span(60, 1000))).together()).isFalse();
    }

    @Test
    void noSpansNoWindow() {
        assertThat(RunWindow.of(List.of())).isNull();
    }
}
