package io.giantvm.operator.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counters JOSDK reports to, exposed in Prometheus' text format on /metrics. */
public final class ReconcileMetrics implements Metrics {
    private final LongAdder started = new LongAdder();
    private final LongAdder finished = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder events = new LongAdder();

    @Override
    public void receivedEvent(io.javaoperatorsdk.operator.processing.event.Event event, Map<String, Object> metadata) {
        events.increment();
    }

    @Override
    public void reconcileCustomResource(HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
        started.increment();
    }

    @Override
    public void finishedReconciliation(HasMetadata resource, Map<String, Object> metadata) {
        finished.increment();
    }

    @Override
    public void failedReconciliation(HasMetadata resource, Exception exception, Map<String, Object> metadata) {
        failed.increment();
    }

    public String prometheusText() {
        return counter("giantvm_operator_reconciliations_started_total", "Reconciliations started", started)
                + counter("giantvm_operator_reconciliations_finished_total", "Reconciliations that succeeded", finished)
                + counter("giantvm_operator_reconciliations_failed_total", "Reconciliations that threw", failed)
                + counter("giantvm_operator_events_received_total", "Events received by the controller", events);
    }

    private static String counter(String name, String help, LongAdder value) {
        return "# HELP " + name + " " + help + "\n# TYPE " + name + " counter\n" + name + " " + value.sum() + "\n";
    }
}
