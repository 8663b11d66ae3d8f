package io.giantvm.operator.reconciler;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.Comparator;
import java.util.Optional;

/**
 * Why the StatefulSet controller could not create a hypervisor pod. A rejection by Pod Security
 * admission, a ResourceQuota or a webhook shows nowhere but in a {@code FailedCreate} Warning event on
 * the StatefulSet (a StatefulSet has no failure condition); without this the VM would read
 * "Scheduling 0/N" forever. Asked only while a pod is missing, so a healthy VM costs no list.
 *
 * <p>The namespace's events are listed whole and filtered here: an {@code involvedObject.name} field
 * selector would narrow the list on a real API server, but the mock API server of the tests answers it
 * with nothing, and the tests must run the path production runs. Events expire after an hour, so the
 * list stays short.
 */
final class CreateFailures {
    static final String REASON = "FailedCreate";

    private CreateFailures() {}

    static Optional<String> latest(KubernetesClient client, StatefulSet sts) {
        if (sts == null) {
            return Optional.empty();
        }
        String uid = sts.getMetadata().getUid();
        try {
            return client.v1().events().inNamespace(sts.getMetadata().getNamespace())
                    .list().getItems().stream()
                    .filter(e -> REASON.equals(e.getReason()) && e.getInvolvedObject() != null
                            && "StatefulSet".equals(e.getInvolvedObject().getKind())
                            && uid != null && uid.equals(e.getInvolvedObject().getUid()))
                    .max(Comparator.comparing(CreateFailures::when))
                    .map(Event::getMessage);
        } catch (KubernetesClientException e) {
            return Optional.empty(); // advice only: without it the status says "waiting", as before
        }
    }

    private static String when(Event e) {
        String t = e.getLastTimestamp() != null ? e.getLastTimestamp() : e.getFirstTimestamp();
        return t == null ? "" : t;
    }
}
