package io.giantvm.engine.dsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.giantvm.engine.mesh.LoopbackMesh;
import io.giantvm.engine.mesh.MeshAddress;
import io.giantvm.engine.mesh.TcpTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The protocol core over real loopback sockets: three nodes share a counter and a node's death stops the rest. */
class DsmOverTcpTest {

    @Test
    void threeNodesOverTcpKeepACounterExactAndStopWhenOneDies() throws Exception {
        int nodes = 3;
        List<MeshAddress> addresses = LoopbackMesh.addresses(nodes);
        HomeMap homes = HomeMap.evenPages(nodes, 4);
        List<TcpTransport> ts = new ArrayList<>();
        List<DsmNode> dsm = new ArrayList<>();
        List<CompletableFuture<Void>> started = new ArrayList<>();
        try {
            for (int i = 0; i < nodes; i++) {
                TcpTransport t = new TcpTransport(i, addresses, "dsm-tcp");
                DsmNode d = new DsmNode(t, homes, new SimulatedPageMemory(i), Duration.ofSeconds(10));
                t.setHandler(d);
                ts.add(t);
                dsm.add(d);
                CompletableFuture<Void> s = new CompletableFuture<>();
                Thread.ofPlatform().name("test-start-" + i).daemon().start(() -> {
                    try {
                        t.start(Duration.ofSeconds(20));
                        s.complete(null);
                    } catch (Throwable e) {
                        s.completeExceptionally(e);
                    }
                });
                started.add(s);
            }
            CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

            long counter = DsmLayout.addressOf(5) + 8; // homed at node 1
            int perNode = 500;
            List<Thread> workers = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            for (int i = 0; i < nodes; i++) {
                DsmNode d = dsm.get(i);
                workers.add(Thread.ofPlatform().name("test-vcpu-" + i).start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int k = 0; k < perNode; k++) {
                        LockSupport.parkNanos(20_000); // let the other nodes in: the page must keep moving
                        d.access(DsmLayout.pageOf(counter), Access.WRITE, m -> {
                            byte[] b = new byte[8];
                            m.read(counter, b, 0, 8);
                            m.write(counter, DsmStressTestBytes.of(DsmStressTestBytes.toLong(b) + 1), 0, 8);
                            return null;
                        });
                    }
                }));
            }
            go.countDown();
            for (Thread w : workers) {
                w.join(Duration.ofSeconds(30));
                assertThat(w.isAlive()).isFalse();
            }
            assertThat(new GuestMemoryAccess(dsm.get(2)).readLong(counter)).isEqualTo((long) nodes * perNode);
            long moves = 0;
            for (DsmNode d : dsm) {
                System.out.println(d.stats().format());
                moves += d.stats().totalMoves();
            }
            assertThat(moves).as("grants across the three nodes").isGreaterThan(30);

            // node 1 (home of the counter) dies: node 0's next fault on its page fails naming it, quickly
            ts.get(1).close();
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> dsm.get(0).writeFault(DsmLayout.pageOf(counter)))
                    .isInstanceOf(DsmFaultException.class).hasMessageContaining("node 1 is down");
            assertThat(System.nanoTime() - t0).isLessThan(Duration.ofSeconds(5).toNanos());
        } finally {
            dsm.forEach(DsmNode::close);
            ts.forEach(TcpTransport::close);
        }
    }
}
