package io.giantvm.engine.os;

import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real sched_setaffinity on this JVM's own threads; each test restores the mask it found. */
class CpuAffinityTest {
    @Test
    void pinningTheProcessReachesThreadsThatAlreadyRunAndThreadsStartedLater() throws Exception {
        BitSet before = CpuAffinity.allowed();
        int last = before.length() - 1;
        CountDownLatch pinned = new CountDownLatch(1);
        CompletableFuture<BitSet> seenByOldThread = new CompletableFuture<>();
        Thread old = Thread.ofPlatform().start(() -> {
            try {
                pinned.await();
                seenByOldThread.complete(CpuAffinity.allowed());
            } catch (InterruptedException e) {
                seenByOldThread.completeExceptionally(e);
            }
        });
        try {
            CpuAffinity.pinProcess(last);
            pinned.countDown();
            BitSet only = new BitSet();
            only.set(last);
            assertThat(seenByOldThread.get(10, TimeUnit.SECONDS)).isEqualTo(only);
            CompletableFuture<BitSet> seenByNewThread = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> seenByNewThread.complete(CpuAffinity.allowed()));
            assertThat(seenByNewThread.get(10, TimeUnit.SECONDS)).isEqualTo(only);
        } finally {
            pinned.countDown();
            CpuAffinity.pinProcess(before);
            old.join();
        }
        assertThat(CpuAffinity.allowed()).isEqualTo(before);
    }

    @Test
    void noCpuAtAllIsRefusedBeforeAnySystemCall() {
        assertThatThrownBy(() -> CpuAffinity.pinProcess(new BitSet()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no CPU");
    }

    @Test
    void aCpuTheMachineDoesNotHaveIsTheKernelsEinval() {
        BitSet before = CpuAffinity.allowed();
        try {
            assertThatThrownBy(() -> CpuAffinity.pinProcess(8000))
                    .isInstanceOf(NativeException.class).hasMessageContaining("sched_setaffinity").hasMessageContaining("EINVAL");
        } finally {
            CpuAffinity.pinProcess(before);
        }
    }
}
