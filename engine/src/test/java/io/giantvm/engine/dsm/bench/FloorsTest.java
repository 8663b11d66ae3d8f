package io.giantvm.engine.dsm.bench;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The floors' own machinery, on real sockets and a real userfaultfd: what the bench's ratios rest on. */
class FloorsTest {
    private static final Duration BOUND = Duration.ofSeconds(30);

    @Test
    void theHandlersStepRunsInsideEveryFaultBeforeItIsResolved() throws Exception {
        AtomicInteger steps = new AtomicInteger();
        Samples s = assertTimeoutPreemptively(BOUND, () -> UffdFloor.measure(10, 50, i -> {
            assertThat(i).isEqualTo(steps.getAndIncrement()); // one step per fault, in order
        }));
        assertThat(steps.get()).isEqualTo(60);
        assertThat(s.count()).isEqualTo(50);
    }

    @Test
    void aStepThatFailsStillResolvesItsFaultAndFailsTheMeasurementInsteadOfHangingIt() {
        assertTimeoutPreemptively(BOUND, () -> {
            assertThatThrownBy(() -> UffdFloor.measure(10, 50, i -> {
                if (i == 7) {
                    throw new IOException("the peer went away");
                }
            })).isInstanceOf(IOException.class).hasMessage("the peer went away");
            assertThatThrownBy(() -> UffdFloor.measure(10, 50, i -> {
                if (i == 3) {
                    throw new IllegalStateException("reply does not match its request");
                }
            })).isInstanceOf(IllegalStateException.class).hasMessageContaining("reply does not match its request");
        });
    }

    @Test
    void theEchoAnswersTheBlockingThePollingAndTheWholeFloorsAskersInTurnThenEnds() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        int p = port;
        Thread echo = Thread.ofPlatform().daemon().start(() -> {
            try {
                TcpFloor.serve(p);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        assertTimeoutPreemptively(BOUND, () -> {
            assertThat(blockingOnceListening(p).count()).isEqualTo(20);
            assertThat(TcpFloor.measurePolling(p, 5, 20).count()).isEqualTo(20);
            try (TcpFloor.PollingAsker asker = new TcpFloor.PollingAsker(p)) {
                assertThat(UffdFloor.measureWithRoundTrip(5, 20, asker).count()).isEqualTo(20);
            }
            echo.join();
        });
        assertThat(echo.isAlive()).as("the echo ends after its %d askers", TcpFloor.CONNECTIONS).isFalse();
        assertThat(TcpFloor.CONNECTIONS).isEqualTo(3);
    }

    /** The first asker, retried while the echo is not listening yet (a refused connection is not an asker). */
    private static Samples blockingOnceListening(int port) throws Exception {
        while (true) {
            try {
                return TcpFloor.measure(port, 5, 20);
            } catch (ConnectException e) {
                Thread.sleep(10);
            }
        }
    }
}
