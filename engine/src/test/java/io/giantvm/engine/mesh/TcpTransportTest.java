package io.giantvm.engine.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.giantvm.engine.mesh.v1.Frame;
import io.giantvm.engine.mesh.v1.Opaque;
import io.giantvm.engine.mesh.v1.Ping;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Real sockets on loopback: a mesh of three in one JVM, and a mesh of two JVM processes. */
class TcpTransportTest {

    /** Starts every node of {@code nodes} at once (each blocks at the barrier until all are up). */
    static List<TcpTransport> startAll(List<MeshAddress> nodes, List<BlockingQueue<Frame>> inboxes) throws Exception {
        List<TcpTransport> ts = new ArrayList<>();
        List<CompletableFuture<Void>> started = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            TcpTransport t = new TcpTransport(i, nodes, "test");
            BlockingQueue<Frame> inbox = new LinkedBlockingQueue<>();
            inboxes.add(inbox);
            t.setHandler(f -> {
                if (f.getBodyCase() == Frame.BodyCase.PING && f.getId() != 0) {
                    t.reply(f, Frame.newBuilder().setPing(Ping.newBuilder().setPayload(f.getPing().getPayload())));
                } else {
                    inbox.add(f);
                }
            });
            ts.add(t);
        }
        // Start in reverse so the dialers come up before the nodes they dial: exercises the retries.
        for (int i = nodes.size() - 1; i >= 0; i--) {
            TcpTransport t = ts.get(i);
            started.add(startInThread(t, Duration.ofSeconds(20)));
            Thread.sleep(150);
        }
        CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        return ts;
    }

    /** Its own thread, not the common pool: that pool has one thread on a 2-core machine and starts block. */
    static CompletableFuture<Void> startInThread(Transport t, Duration timeout) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofPlatform().name("test-start-" + t.self()).daemon().start(() -> {
            try {
                t.start(timeout);
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    @Test
    void threeNodesExchangeFramesAndRequestsAndSeeAPeerGoDown() throws Exception {
        List<MeshAddress> addresses = LoopbackMesh.addresses(3);
        List<BlockingQueue<Frame>> inboxes = new ArrayList<>();
        List<TcpTransport> ts = startAll(addresses, inboxes);
        try {
            assertThat(ts).allSatisfy(t -> assertThat(t.unconnectedPeers()).isEmpty());
            BlockingQueue<Integer> down = new LinkedBlockingQueue<>();
            ts.get(0).addPeerDownListener(down::add);

            // one-way, every ordered pair, including to self
            for (int from = 0; from < 3; from++) {
                for (int to = 0; to < 3; to++) {
                    ts.get(from).send(to, Frame.newBuilder().setOpaque(Opaque.newBuilder().setChannel("t").setData(ByteString.copyFromUtf8(from + ">" + to))));
                }
            }
            for (int to = 0; to < 3; to++) {
                List<String> got = new ArrayList<>();
                for (int k = 0; k < 3; k++) {
                    Frame f = inboxes.get(to).poll(5, TimeUnit.SECONDS);
                    assertThat(f).isNotNull();
                    assertThat(f.getOpaque().getData().toStringUtf8()).isEqualTo(f.getFrom() + ">" + to);
                    got.add(f.getOpaque().getData().toStringUtf8());
                }
                assertThat(got).hasSize(3);
            }

            // request/reply with a 4 KiB payload, many in flight at once to every peer
            byte[] page = new byte[4096];
            new Random(1).nextBytes(page);
            List<CompletableFuture<Frame>> replies = new ArrayList<>();
            for (int k = 0; k < 200; k++) {
                replies.add(ts.get(k % 3).request((k + 1) % 3, Frame.newBuilder().setPing(Ping.newBuilder()
                        .setPayload(ByteString.copyFrom(page))), Duration.ofSeconds(10)));
            }
            for (CompletableFuture<Frame> r : replies) {
                assertThat(r.get(10, TimeUnit.SECONDS).getPing().getPayload().toByteArray()).isEqualTo(page);
            }

            // node 2 goes away: node 0 learns it by id, and a request waiting on it fails naming it
            ts.get(2).setHandler(f -> { }); // swallow: the request below stays unanswered until the drop
            CompletableFuture<Frame> waiting = ts.get(0).request(2, Frame.newBuilder().setOpaque(Opaque.getDefaultInstance()), Duration.ofSeconds(30));
            Thread.sleep(50);
            ts.get(2).close();
            assertThat(down.poll(5, TimeUnit.SECONDS)).isEqualTo(2);
            assertThatThrownBy(() -> waiting.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(PeerDownException.class).hasMessageContaining("node 2 is down");
            assertThatThrownBy(() -> ts.get(0).send(2, Frame.newBuilder().setOpaque(Opaque.getDefaultInstance())))
                    .isInstanceOf(PeerDownException.class).hasMessageContaining("node 2");
        } finally {
            ts.forEach(TcpTransport::close);
        }
    }

    @Test
    void anUnreachablePeerFailsTheStartNamingIt() {
        List<MeshAddress> addresses = LoopbackMesh.addresses(2);
        try (TcpTransport t = new TcpTransport(1, addresses, "test")) {
            t.setHandler(f -> { });
            assertThat(t.unconnectedPeers()).as("what a waiting node reports").containsExactly(0);
            assertThatThrownBy(() -> t.start(Duration.ofMillis(700)))
                    .isInstanceOf(MeshException.class)
                    .hasMessageContaining("cannot reach node 0 (127.0.0.1:" + addresses.get(0).port() + ")");
        }
    }

    @Test
    void aNodeOfAnotherVmIsRefused() throws Exception {
        List<MeshAddress> addresses = LoopbackMesh.addresses(2);
        try (TcpTransport a = new TcpTransport(0, addresses, "vm-a"); TcpTransport b = new TcpTransport(1, addresses, "vm-b")) {
            a.setHandler(f -> { });
            b.setHandler(f -> { });
            CompletableFuture<Void> startA = startInThread(a, Duration.ofSeconds(2));
            Thread.sleep(200);
            assertThatThrownBy(() -> b.start(Duration.ofSeconds(2)))
                    .isInstanceOf(MeshException.class).hasMessageContaining("different VM descriptions");
            assertThatThrownBy(() -> startA.get(5, TimeUnit.SECONDS)).hasMessageContaining("no connection from node 1");
        }
    }

    @Test
    void twoProcessesFormAMeshAndTheDeathOfOneIsReportedByNodeId() throws Exception {
        List<MeshAddress> addresses = LoopbackMesh.addresses(2);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Native access as every engine process has it: the transport reads its sockets through FFM (epoll, recv).
        Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                TcpEchoNode.class.getName(),
                "1", String.valueOf(addresses.get(0).port()), String.valueOf(addresses.get(1).port()))
                .redirectErrorStream(true).start();
        try (TcpTransport t = new TcpTransport(0, addresses, "echo")) {
            BlockingQueue<Integer> down = new LinkedBlockingQueue<>();
            t.setHandler(f -> { });
            t.addPeerDownListener(down::add);
            t.start(Duration.ofSeconds(30));
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()));
            assertThat(out.readLine()).isEqualTo("started");

            byte[] page = new byte[4096];
            new Random(2).nextBytes(page);
            for (int k = 0; k < 100; k++) {
                Frame r = t.request(1, Frame.newBuilder().setPing(Ping.newBuilder().setPayload(ByteString.copyFrom(page))),
                        Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS);
                assertThat(r.getPing().getPayload().toByteArray()).isEqualTo(page);
                assertThat(r.getFrom()).isEqualTo(1);
            }

            child.destroyForcibly(); // SIGKILL: no goodbye, the kernel closes its sockets
            assertThat(down.poll(10, TimeUnit.SECONDS)).isEqualTo(1);
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
