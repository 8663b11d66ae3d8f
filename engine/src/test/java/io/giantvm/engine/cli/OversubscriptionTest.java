package io.giantvm.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OversubscriptionTest {
    @Test
    void saysSoWhenTheVcpusTakeEveryCore() {
        assertThat(Oversubscription.note(2, 1, 2)).hasValueSatisfying(n -> assertThat(n)
                .startsWith("note: 2 nodes x 1 vCPUs on a 2-core host: the vCPUs alone take all of the cores"));
        assertThat(Oversubscription.note(3, 1, 2)).hasValueSatisfying(n -> assertThat(n).contains("more than the cores"));
    }

    @Test
    void silentWithCoresToSpareOrOneNode() {
        assertThat(Oversubscription.note(2, 1, 8)).isEmpty();
        assertThat(Oversubscription.note(1, 4, 2)).isEmpty();
    }
}
