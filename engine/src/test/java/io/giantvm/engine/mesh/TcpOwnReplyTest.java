package io.giantvm.engine.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.giantvm.engine.mesh.v1.Frame;
import io.giantvm.engine.mesh.v1.Opaque;
import io.giantvm.engine.mesh.v1.Ping;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TcpTransport#receiveWhile}: a thread that sent a request takes the answer off the connection itself, and
 * frames that arrive meanwhile reach the handler on that thread in order; afterwards the receive thread reads again.
 * Node 0 answers only once node 1's caller is reading (a latch the caller's first check releases), so which thread
 * gets the answer does not depend on timing.
 */
class TcpOwnReplyTest {
    private static final long PATIENCE = TimeUnit.SECONDS.toNanos(20); // a bound on failure only

    private final List<TcpTransport> nodes = new ArrayList<>();
    private final CountDownLatch callerReading = new CountDownLatch(1);
    private final BlockingQueue<String> handledAtNode1 = new LinkedBlockingQueue<>();

    @AfterEach
    void close() {
        nodes.forEach(TcpTransport::close);
    }

    private void start() throws Exception {
        List<MeshAddress> addresses = LoopbackMesh.addresses(2);
        TcpTransport t0 = new TcpTransport(0, addresses, "own-reply");
        TcpTransport t1 = new TcpTransport(1, addresses, "own-reply");
        t0.setHandler(f -> {
            if (f.getBodyCase() != Frame.BodyCase.PING) {
                return;
            }
            try {
                callerReading.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            // One-way frames first, then the answer: all must reach node 1's handler in this order.
            for (int i = 0; i < 3; i++) {
                t0.send(1, opaque("before-" + i));
            }
            t0.reply(f, Frame.newBuilder().setPing(Ping.newBuilder().setPayload(ByteString.copyFrom(new byte[4096]))));
        });
        t1.setHandler(f -> handledAtNode1.add(f.getOpaque().getChannel() + " on " + Thread.currentThread().getName()));
        nodes.add(t0);
        nodes.add(t1);
        LoopbackMesh.startAll(nodes);
    }

    private static Frame.Builder opaque(String channel) {
        return Frame.newBuilder().setOpaque(Opaque.newBuilder().setChannel(channel));
    }

    /** Sends a ping from node 1 to node 0 on a thread named {@code caller}; the thread that completed the answer. */
    private String askOn(String caller) throws Exception {
        TcpTransport t1 = nodes.get(1);
        AtomicReference<CompletableFuture<Frame>> answer = new AtomicReference<>();
        AtomicReference<String> completedOn = new AtomicReference<>();
        CompletableFuture<Boolean> took = new CompletableFuture<>();
        Thread.ofPlatform().name(caller).start(() -> took.complete(t1.receiveWhile(0, () -> {
            CompletableFuture<Frame> f = t1.request(0, Frame.newBuilder().setPing(Ping.newBuilder()), Duration.ofSeconds(20));
            f.thenRun(() -> completedOn.set(Thread.currentThread().getName()));
            answer.set(f);
        }, () -> {
            callerReading.countDown();
            return !answer.get().isDone();
        }, PATIENCE)));
        assertThat(took.get(30, TimeUnit.SECONDS)).as("the caller could take the connection over").isTrue();
        answer.get().get(30, TimeUnit.SECONDS);
        return completedOn.get();
    }

    @Test
    void theCallerTakesItsAnswerAndWhatCameBeforeItOnItsOwnThreadInOrder() throws Exception {
        start();
        assertThat(askOn("fault-caller")).isEqualTo("fault-caller");
        assertThat(List.of(handledAtNode1.take(), handledAtNode1.take(), handledAtNode1.take()))
                .containsExactly("before-0 on fault-caller", "before-1 on fault-caller", "before-2 on fault-caller");
    }

    @Test
    void theReceiveThreadReadsAgainOnceTheCallerIsDone() throws Exception {
        start();
        askOn("first-caller");
        for (int i = 0; i < 3; i++) {
            handledAtNode1.take();
        }
        nodes.get(0).send(1, opaque("later"));
        assertThat(handledAtNode1.poll(30, TimeUnit.SECONDS)).isEqualTo("later on mesh-rx-0");
    }
}
