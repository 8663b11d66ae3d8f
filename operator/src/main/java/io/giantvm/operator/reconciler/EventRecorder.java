package io.giantvm.operator.reconciler;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.giantvm.operator.crd.GiantVM;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Writes core/v1 Events about a GiantVM (what {@code kubectl describe gvm} shows). */
public final class EventRecorder {
    public static final String COMPONENT = "giantvm-operator";
    private static final Logger LOG = Logger.getLogger(EventRecorder.class.getName());

    private final KubernetesClient client;
    private final Clock clock;
    /**
     * Makes event names unique within one operator process even within one clock tick; static because
     * a recorder is made per reconciliation pass and two passes can fall in the same millisecond.
     */
    private static final AtomicLong SEQUENCE = new AtomicLong();

    public EventRecorder(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    KubernetesClient client() {
        return client;
    }

    public void normal(GiantVM vm, String reason, String message) {
        record(vm, "Normal", reason, message);
    }

    public void warning(GiantVM vm, String reason, String message) {
        record(vm, "Warning", reason, message);
    }

    /** An event is advice: failing to record one must not fail the reconciliation. */
    private void record(GiantVM vm, String type, String reason, String message) {
        String now = clock.instant().toString();
        String name = vm.getMetadata().getName() + "." + Long.toHexString(clock.millis())
                + Long.toHexString(SEQUENCE.incrementAndGet());
        Event event = new EventBuilder()
                .withNewMetadata().withName(name).withNamespace(vm.getMetadata().getNamespace()).endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(vm.getApiVersion()).withKind(vm.getKind())
                .withName(vm.getMetadata().getName()).withNamespace(vm.getMetadata().getNamespace())
                .withUid(vm.getMetadata().getUid()).withResourceVersion(vm.getMetadata().getResourceVersion())
                .endInvolvedObject()
                .withType(type).withReason(reason).withMessage(message)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .build();
        try {
            client.v1().events().inNamespace(vm.getMetadata().getNamespace()).resource(event).create();
        } catch (KubernetesClientException e) {
            LOG.log(Level.WARNING, "could not record event " + reason + " for " + vm.getMetadata().getName()
                    + ": HTTP " + e.getCode() + " " + e.getMessage());
        }
    }
}
