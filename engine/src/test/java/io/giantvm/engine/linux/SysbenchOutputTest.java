package io.giantvm.engine.linux;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SysbenchOutputTest {
    /** The layout sysbench 1.0.20 prints (figures made up; the real binary is run in HostSysbenchTest). */
    private static final String REPORT = """
            Threads started!

            General statistics:
                total time:                          2.0042s
                total number of events:              1234

            Latency (ms):
                     min:                                    1.10
                     avg:                                    1.62
                     max:                                    9.75
                     95th percentile:                        2.03
                     sum:                                 1999.11
            """;

    @Test
    void readsTheTotalsAndTheLatencies() {
        SysbenchResult r = SysbenchOutput.parse("cpu", 2, REPORT);
        assertThat(r.events()).isEqualTo(1234);
        assertThat(r.seconds()).isEqualTo(2.0042);
        assertThat(r.eventsPerSecond()).isCloseTo(1234 / 2.0042, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.latencyMinMs()).isEqualTo(1.10);
        assertThat(r.latencyAvgMs()).isEqualTo(1.62);
        assertThat(r.latencyMaxMs()).isEqualTo(9.75);
        assertThat(r.latencyP95Ms()).isEqualTo(2.03);
        assertThat(r.threads()).isEqualTo(2);
    }

    @Test
    void aFailedRunIsAnErrorThatQuotesTheOutput() {
        assertThatThrownBy(() -> SysbenchOutput.parse("memory", 1, "FATAL: invalid option --memory-block-size=x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sysbench memory printed no 'total time' figure")
                .hasMessageContaining("FATAL: invalid option");
    }
}
