package io.giantvm.engine.control;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * The engine's gRPC control endpoint: the Control service plus the standard health service.
 * Start with {@link #start}; {@link #close} stops accepting calls, lets running calls finish for a
 * bounded time and releases the port.
 */
public final class ControlServer implements AutoCloseable {
    /** How long close() lets in-flight calls finish before cancelling them. */
    private static final long DRAIN_MILLIS = 2_000;

    private final Server server;
    private final HealthPublisher health;

    private ControlServer(Server server, HealthPublisher health) {
        this.server = server;
        this.health = health;
    }

    /**
     * Binds {@code address} (port 0 picks a free one) and serves until closed.
     *
     * @throws UncheckedIOException naming the address when it cannot be bound (e.g. port in use)
     */
    public static ControlServer start(InetSocketAddress address, EngineStatusSource source) {
        HealthStatusManager healthManager = new HealthStatusManager();
        HealthPublisher health = new HealthPublisher(source, healthManager);
        health.refresh(); // answer truthfully from the first call on, not after the first tick
        Server server = NettyServerBuilder.forAddress(address)
                .addService(new ControlService(source, Clock.systemUTC()))
                .addService(healthManager.getHealthService())
                .build();
        try {
            server.start();
        } catch (IOException e) {
            health.close();
            throw new UncheckedIOException("cannot serve the control API on " + address + ": " + e.getMessage(), e);
        }
        health.start();
        return new ControlServer(server, health);
    }

    /** The bound port (useful when started on port 0). */
    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        health.close();
        server.shutdown();
        try {
            if (!server.awaitTermination(DRAIN_MILLIS, TimeUnit.MILLISECONDS)) {
                server.shutdownNow();
                server.awaitTermination(DRAIN_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
