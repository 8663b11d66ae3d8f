package io.giantvm.engine.linux;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InitReportTest {
    @Test
    void parsesTheLinesInitShPrints() {
        InitReport r = new InitReport();
        r.accept("[    1.000] some kernel line");
        r.accept("@@GIANTVM init uptime=3.21 nproc=2 kernel=6.1.0-57-cloud-amd64");
        r.accept("@@GIANTVM sysbench test=cpu threads=2 events=3490 time_s=1.0003 events_per_s=3488.95 "
                + "lat_min_ms=0.26 lat_avg_ms=0.56 lat_max_ms=24.38 lat_p95_ms=1.55");
        r.accept("@@GIANTVM error unknown sysbench test 'io'");
        r.accept("@@GIANTVM done status=1");
        assertThat(r.bootSeconds()).isEqualTo(3.21);
        assertThat(r.nproc()).isEqualTo(2);
        assertThat(r.kernel()).isEqualTo("6.1.0-57-cloud-amd64");
        assertThat(r.sysbench()).singleElement().satisfies(s -> {
            assertThat(s.test()).isEqualTo("cpu");
            assertThat(s.events()).isEqualTo(3490);
            assertThat(s.eventsPerSecond()).isEqualTo(3488.95);
            assertThat(s.latencyP95Ms()).isEqualTo(1.55);
        });
        assertThat(r.errors()).containsExactly("unknown sysbench test 'io'");
        assertThat(r.doneStatus()).isEqualTo(1);
    }

    @Test
    void aGarbledLineIsAnErrorNotACrash() {
        InitReport r = new InitReport();
        r.accept("@@GIANTVM sysbench test=cpu threads=x");
        assertThat(r.errors()).singleElement().asString().startsWith("unparsable report line");
        assertThat(r.sysbench()).isEmpty();
    }

    @Test
    void theConsoleTapPassesBytesThroughAndKeepsTheLastLines() throws Exception {
        var sink = new java.io.ByteArrayOutputStream();
        var seen = new java.util.ArrayList<String>();
        ConsoleTap tap = new ConsoleTap(sink, seen::add, 2);
        tap.write("a\r\nb\nc\npartial".getBytes());
        assertThat(sink.toString()).isEqualTo("a\r\nb\nc\npartial");
        assertThat(seen).containsExactly("a", "b", "c");
        assertThat(tap.lastLines()).containsExactly("b", "c", "partial");
    }

    @Test
    void typedInputWaitsForTheShellPromptNotForAnEarlierLine() throws Exception {
        PromptWatch prompt = new PromptWatch("giantvm# ");
        var sink = new java.io.ByteArrayOutputStream();
        ConsoleTap tap = new ConsoleTap(sink, l -> { }, 2, prompt);
        tap.write("[   40.1] @@GIANTVM shell\n[   40.2] giantvm# \n".getBytes()); // the prompt's text inside a line
        tap.write("giantvm".getBytes());
        assertThat(prompt.hasAppeared()).as("half a prompt").isFalse();
        tap.write("# ".getBytes());
        assertThat(prompt.hasAppeared()).isTrue();
    }
}
