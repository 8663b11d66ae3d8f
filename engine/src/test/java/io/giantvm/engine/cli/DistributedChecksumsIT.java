package io.giantvm.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.giantvm.engine.guest.ExpectedChecksums;
import io.giantvm.engine.guest.WorkloadSpec;
import io.giantvm.engine.memory.GuestLayout;
import io.giantvm.engine.vm.KvmRequirement;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Distributed runs give the single-node answers, and false sharing shows in the page transfers. */
class DistributedChecksumsIT extends DistributedRunBase {
    @Test
    void memoryChecksumOnTwoNodesEqualsTheSingleNodeOne() throws Exception {
        String[] workload = {"--memory", "64M", "--json", "--workload", "memory", "--block-size", "64K", "--total", "2M",
                "--mode", "write", "--scope", "global"};
        Run single = giantvm(concat(new String[] {"run", "--vcpus", "2"}, workload));
        Run split = giantvm(concat(new String[] {"run", "--nodes", "2", "--vcpus-per-node", "1"}, workload));
        assertThat(single.exit()).as(single.err()).isZero();
        assertThat(split.exit()).as(split.err()).isZero();
        assertThat(split.summary()).isEqualTo(single.summary())
                .isEqualTo(ExpectedChecksums.summary(WorkloadSpec.parse("memory", Map.of("block-size", "64K", "total", "2M",
                        "mode", "write", "scope", "global")), 2));
    }

    /** Both vCPUs count for the same window (a count let the first vCPU finish before the second one started). */
    @Test
    void falseSharingMovesMorePagesPackedThanPadded() throws Exception {
        Run packed = giantvm("run", "--nodes", "2", "--vcpus-per-node", "1", "--memory", "64M", "--json",
                "--workload", "falseshare", "--time", "3", "--layout", "packed");
        Run padded = giantvm("run", "--nodes", "2", "--vcpus-per-node", "1", "--memory", "64M", "--json",
                "--workload", "falseshare", "--time", "3", "--layout", "padded");
        assertThat(packed.exit()).as(packed.err()).isZero();
        assertThat(padded.exit()).as(padded.err()).isZero();
        assertThat(packed.overlap()).as("packed: overlap of the two vCPUs' counting").isGreaterThanOrEqualTo(0.95);
        assertThat(packed.transfersOf(GuestLayout.WORKLOAD_BASE)).as("transfers of the shared counters' page")
                .isGreaterThanOrEqualTo(300);
        // Only the workload's data counts: the page tables move on every page walk whatever the layout.
        long packedData = packed.pageTransfersFrom(GuestLayout.WORKLOAD_BASE);
        long paddedData = padded.pageTransfersFrom(GuestLayout.WORKLOAD_BASE);
        System.out.printf("falseshare page transfers (data pages / all): packed %d / %d, padded %d / %d%n",
                packedData, packed.pageTransfers(), paddedData, padded.pageTransfers());
        assertThat(packedData).isGreaterThan(paddedData);
    }
}
