package io.giantvm.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.giantvm.engine.guest.ExpectedChecksums;
import io.giantvm.engine.guest.WorkloadSpec;
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

/**
 * The acceptance runs of issue 3 as tests: one VM over 2 and 3 real node processes on real KVM (loopback TCP
 * mesh, DSM over userfaultfd, forwarded I/O and IPIs), mutex counter exact.
 */
class DistributedMutexIT extends DistributedRunBase {
    @Test
    void mutexOnTwoNodesCountsExactly() throws Exception {
        Run r = giantvm("run", "--nodes", "2", "--vcpus-per-node", "1", "--memory", "64M", "--json",
                "--workload", "mutex", "--locks", "1", "--iterations", "20000");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.summary()).isEqualTo(40000);
        assertThat(r.json().path("nodes")).hasSize(2);
        assertThat(r.pageTransfers()).as("the lock and counter must have moved between the nodes").isPositive();
        // One TSC across nodes (on PVM every VM reads the host's TSC anyway; elsewhere KVM starts each at 0).
        assertThat(r.tscBackwardsMicros()).as("TSC going backwards between the nodes' vCPUs, us")
                .isLessThanOrEqualTo(MutexContentionIT.TSC_TOLERANCE_MICROS);
    }

    @Test
    void mutexOnThreeNodesCountsExactly() throws Exception {
        Run r = giantvm("run", "--nodes", "3", "--vcpus-per-node", "1", "--memory", "64M", "--json",
                "--workload", "mutex", "--locks", "1", "--iterations", "20000");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.summary()).isEqualTo(60000);
    }

}
