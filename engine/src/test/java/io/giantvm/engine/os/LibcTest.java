package io.giantvm.engine.os;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LibcTest {
    @Test
    void openOfAMissingFileNamesTheCallAndErrno() {
        assertThatThrownBy(() -> Libc.open("/nonexistent/giantvm", Libc.O_RDWR))
                .isInstanceOf(NativeException.class)
                .hasMessageContaining("open(/nonexistent/giantvm)")
                .hasMessageContaining("ENOENT")
                .extracting(e -> ((NativeException) e).errno()).isEqualTo(Errno.ENOENT);
    }

    @Test
    void anonymousMappingIsZeroAndMadviseDontneedZeroesItAgain() {
        MemorySegment m = Libc.mmap(2 * 4096, Libc.PROT_READ | Libc.PROT_WRITE,
                Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | Libc.MAP_NORESERVE, -1, 0, "test");
        try {
            assertThat(m.get(ValueLayout.JAVA_LONG, 4096)).isZero();
            m.set(ValueLayout.JAVA_LONG, 4096, 0x1234_5678_9abcL);
            assertThat(m.get(ValueLayout.JAVA_LONG, 4096)).isEqualTo(0x1234_5678_9abcL);
            Libc.madvise(m.asSlice(4096, 4096), Libc.MADV_DONTNEED);
            assertThat(m.get(ValueLayout.JAVA_LONG, 4096)).isZero();
        } finally {
            Libc.munmap(m);
        }
    }

    @Test
    void aKickSentToABlockingThreadStaysPendingUntilDrained() throws Exception {
        CompletableFuture<Integer> tid = new CompletableFuture<>();
        CompletableFuture<Integer> drained = new CompletableFuture<>();
        CompletableFuture<Void> sent = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().name("kick-target").start(() -> {
            try (Arena arena = Arena.ofConfined()) {
                SignalKick.blockInCallingThread();
                SignalKick.Drain drain = new SignalKick.Drain(arena);
                int before = drain.drain();
                tid.complete(Libc.gettid());
                sent.get(10, TimeUnit.SECONDS);
                drained.complete(before * 100 + drain.drain());
            } catch (Throwable e) {
                drained.completeExceptionally(e);
            }
        });
        SignalKick.send(tid.get(10, TimeUnit.SECONDS));
        sent.complete(null);
        assertThat(drained.get(10, TimeUnit.SECONDS)).isEqualTo(1); // none before, exactly one after
        t.join(10_000);
    }

    @Test
    void runMaskClearsOnlyTheKickSignal() throws Exception {
        CompletableFuture<Long> mask = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            SignalKick.blockInCallingThread();
            mask.complete(SignalKick.runMaskWithoutKick());
        }).join(10_000);
        assertThat(mask.get() & (1L << (SignalKick.SIGNAL - 1))).isZero();
    }
}
