package io.giantvm.engine.mesh;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.time.Duration;

/** Loopback addresses on free ports, for tests that build real TCP meshes. */
public final class LoopbackMesh {
    private LoopbackMesh() {}

    /** Starts every transport at once, each on a thread of its own (each blocks at the barrier until all are up). */
    public static void startAll(List<? extends Transport> transports) throws Exception {
        List<CompletableFuture<Void>> started = new ArrayList<>();
        for (Transport t : transports) {
            started.add(TcpTransportTest.startInThread(t, Duration.ofSeconds(20)));
        }
        CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    }

    public static List<MeshAddress> addresses(int nodes) {
        List<ServerSocket> held = new ArrayList<>();
        List<MeshAddress> out = new ArrayList<>();
        try {
            for (int i = 0; i < nodes; i++) {
                ServerSocket s = new ServerSocket(0);
                held.add(s);
                out.add(new MeshAddress(i, "127.0.0.1", s.getLocalPort()));
            }
            for (ServerSocket s : held) {
                s.close();
            }
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
        return out;
    }
}
