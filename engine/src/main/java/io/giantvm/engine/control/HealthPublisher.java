package io.giantvm.engine.control;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the standard health service's answers in step with the engine. The health service is the
 * stock one (so Watch works too); it holds statuses pushed into it, hence this refresher on a named
 * thread rather than computing an answer per call.
 */
final class HealthPublisher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HealthPublisher.class.getName());

    private final EngineStatusSource source;
    private final HealthStatusManager health;
    private final ScheduledExecutorService timer;
    /** Guarded by this (refresh runs on the caller at start, then on the timer): log a broken source once, not 4 times a second. */
    private boolean sourceBroken;

    HealthPublisher(EngineStatusSource source, HealthStatusManager health) {
        this.source = source;
        this.health = health;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "control-health");
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        refresh();
        timer.scheduleWithFixedDelay(this::refresh, ControlEndpoints.HEALTH_REFRESH_MILLIS,
                ControlEndpoints.HEALTH_REFRESH_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Runs on the timer; must never throw, or the scheduler would silently stop refreshing. */
    synchronized void refresh() {
        ServingStatus live;
        ServingStatus ready;
        try {
            EngineStatus s = source.status();
            live = s.alive() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
            ready = s.ready() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
            sourceBroken = false;
        } catch (RuntimeException e) {
            if (!sourceBroken) {
                LOG.log(Level.WARNING, "engine status source failed; reporting NOT_SERVING", e);
            }
            sourceBroken = true;
            live = ServingStatus.NOT_SERVING;
            ready = ServingStatus.NOT_SERVING;
        }
        health.setStatus(ControlEndpoints.LIVENESS_SERVICE, live);
        health.setStatus(ControlEndpoints.READINESS_SERVICE, ready);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        health.enterTerminalState();
    }
}
