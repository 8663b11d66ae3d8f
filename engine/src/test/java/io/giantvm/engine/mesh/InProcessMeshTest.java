package io.giantvm.engine.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.giantvm.engine.mesh.v1.Frame;
import io.giantvm.engine.mesh.v1.Opaque;
import io.giantvm.engine.mesh.v1.Ping;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class InProcessMeshTest {

    @Test
    void delayedDeliveryReordersPairsButKeepsEachPairInOrder() throws Exception {
        try (InProcessMesh mesh = InProcessMesh.threaded(3, 42L, Duration.ofMillis(2))) {
            BlockingQueue<Frame> inbox = new LinkedBlockingQueue<>();
            for (int i = 0; i < 3; i++) {
                mesh.transport(i).setHandler(i == 0 ? inbox::add : f -> { });
            }
            for (int k = 0; k < 200; k++) {
                mesh.transport(1 + k % 2).send(0, Frame.newBuilder().setOpaque(Opaque.newBuilder().setChannel(String.valueOf(k))));
            }
            List<Integer> order = new ArrayList<>();
            int[] lastPerSender = {-1, -1, -1};
            for (int k = 0; k < 200; k++) {
                Frame f = inbox.poll(5, TimeUnit.SECONDS);
                assertThat(f).isNotNull();
                int seq = Integer.parseInt(f.getOpaque().getChannel());
                assertThat(seq).isGreaterThan(lastPerSender[f.getFrom()]);
                lastPerSender[f.getFrom()] = seq;
                order.add(seq);
            }
            assertThat(order).isNotEqualTo(order.stream().sorted().toList()); // senders 1 and 2 overtook each other
        }
    }

    @Test
    void requestsAreMatchedToRepliesAndFailWhenThePeerDies() throws Exception {
        try (InProcessMesh mesh = InProcessMesh.threaded(2, null, Duration.ZERO)) {
            Transport a = mesh.transport(0);
            Transport b = mesh.transport(1);
            a.setHandler(f -> { });
            b.setHandler(f -> {
                if (f.getPing().getPayload().toStringUtf8().equals("echo")) {
                    b.reply(f, Frame.newBuilder().setPing(f.getPing()));
                }
            });
            assertThat(a.request(1, Frame.newBuilder().setPing(Ping.newBuilder().setPayload(ByteString.copyFromUtf8("echo"))),
                    Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS).getPing().getPayload().toStringUtf8()).isEqualTo("echo");
            var silent = a.request(1, Frame.newBuilder().setPing(Ping.newBuilder().setPayload(ByteString.copyFromUtf8("mute"))), Duration.ofSeconds(30));
            var timesOut = a.request(1, Frame.newBuilder().setPing(Ping.newBuilder().setPayload(ByteString.copyFromUtf8("mute"))), Duration.ofMillis(50));
            assertThatThrownBy(() -> timesOut.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(java.util.concurrent.TimeoutException.class);
            mesh.kill(1);
            assertThatThrownBy(() -> silent.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().hasMessageContaining("node 1 is down");
        }
    }

    @Test
    void rdmaFailsWithOneClearLineOnAHostWithoutIt() {
        String problem = RdmaPreflight.hostProblem();
        Assumptions.assumeTrue(problem != null, "this host can run RDMA");
        assertThatThrownBy(() -> RdmaTransport.open(0, List.of(new MeshAddress(0, "127.0.0.1", 7100)), "test"))
                .isInstanceOf(MeshException.class)
                .hasMessage(problem)
                .hasMessageStartingWith("transport rdma needs an RDMA device and libdisni: RDMA device: ")
                .hasMessageContaining(", libdisni: ")
                .hasNoCause();
    }
}
