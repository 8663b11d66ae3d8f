package io.giantvm.engine.mesh;

import io.giantvm.engine.mesh.v1.Frame;
import io.giantvm.engine.mesh.v1.Ping;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A mesh node in its own JVM for the two-process tests: answers every ping request with the same payload and
 * runs until killed. Args: self, then one loopback port per node.
 */
public final class TcpEchoNode {
    private TcpEchoNode() {}

    public static void main(String[] args) throws Exception {
        int self = Integer.parseInt(args[0]);
        List<MeshAddress> nodes = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            nodes.add(new MeshAddress(i - 1, "127.0.0.1", Integer.parseInt(args[i])));
        }
        TcpTransport t = new TcpTransport(self, nodes, "echo");
        t.setHandler(f -> {
            if (f.getBodyCase() == Frame.BodyCase.PING && f.getId() != 0) {
                t.reply(f, Frame.newBuilder().setPing(Ping.newBuilder().setPayload(f.getPing().getPayload())));
            }
        });
        t.addPeerDownListener(node -> System.exit(0)); // the parent test is done with us
        t.start(Duration.ofSeconds(30));
        System.out.println("started");
        System.out.flush();
        Thread.sleep(Duration.ofMinutes(2)); // bounded: never outlive a broken test run for long
        System.exit(0);
    }
}
