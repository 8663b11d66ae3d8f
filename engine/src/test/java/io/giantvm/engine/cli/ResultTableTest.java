package io.giantvm.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.giantvm.engine.guest.WorkloadSpec;
import io.giantvm.engine.vm.GuestTimeoutException;
import io.giantvm.engine.vm.RunOutcome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultTableTest {
    private static String table(RunOutcome outcome) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        WorkloadSpec spec = WorkloadSpec.parse("mutex", Map.of());
        ResultTable.print(RunResults.of(spec, 1, outcome), new PrintStream(b, true, StandardCharsets.UTF_8));
        return b.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aRunThatTimedOutIsNotCheckedOk() {
        String t = table(new RunOutcome(-1, new GuestTimeoutException(Duration.ofSeconds(600)), List.of(),
                Duration.ofSeconds(600), List.of(Map.of()), 1_000_000));
        assertThat(t).contains("check: not done (the run did not finish").doesNotContain("OK");
    }

    @Test
    void aFinishedRunWithoutItsReportsNamesWhatIsMissing() {
        String t = table(new RunOutcome(0, null, List.of(), Duration.ofSeconds(1), List.of(Map.of()), 1_000_000));
        assertThat(t).contains("check: 0 of 1 vCPUs reported; the guest sent no summary report");
    }
}
