package io.giantvm.operator.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * /healthz (the process answers), /readyz (informers synced and healthy, so reconciliations see
 * the cluster) and /metrics (Prometheus text) on the operator's HTTP port.
 */
public final class HttpEndpoints implements AutoCloseable {
    private final HttpServer server;

    private HttpEndpoints(HttpServer server) {
        this.server = server;
    }

    public static HttpEndpoints start(InetSocketAddress address, BooleanSupplier ready, Supplier<String> metrics) {
        HttpServer server;
        try {
            server = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve health and metrics on " + address + ": " + e.getMessage(), e);
        }
        server.setExecutor(Executors.newSingleThreadExecutor(r -> new Thread(r, "http-endpoints")));
        server.createContext("/healthz", x -> reply(x, 200, "ok\n", "text/plain"));
        server.createContext("/readyz", x -> {
            boolean ok = ready.getAsBoolean();
            reply(x, ok ? 200 : 503, ok ? "ready\n" : "not ready: informers not synced or unhealthy\n", "text/plain");
        });
        server.createContext("/metrics", x -> reply(x, 200, metrics.get(), "text/plain; version=0.0.4"));
        server.start();
        return new HttpEndpoints(server);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void reply(HttpExchange x, int code, String body, String type) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
