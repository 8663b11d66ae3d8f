package io.giantvm.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.giantvm.operator.resources.Hashes;
import io.giantvm.operator.resources.Labels;

import java.util.HashMap;
import java.util.Map;

/**
 * Creates or updates an owned object. The hash of what we want is kept in an annotation, so an
 * unchanged object is not rewritten on every pass, and a changed one is replaced as a whole (fields
 * others may have defaulted are re-defaulted by the API server). Plain create/update, not
 * server-side apply, so that it works the same against the test mock server.
 */
final class OwnedResourceWriter {
    private final KubernetesClient client;

    OwnedResourceWriter(KubernetesClient client) {
        this.client = client;
    }

    /** @return true when the object was created or changed */
    <T extends HasMetadata> boolean apply(T desired, T existing) {
        String hash = Hashes.ofObject(desired);
        Map<String, String> annotations = new HashMap<>(
                desired.getMetadata().getAnnotations() == null ? Map.of() : desired.getMetadata().getAnnotations());
        annotations.put(Labels.APPLIED_HASH, hash);
        desired.getMetadata().setAnnotations(annotations);
        if (existing == null) {
            client.resource(desired).create();
            return true;
        }
        Map<String, String> current = existing.getMetadata().getAnnotations();
        if (current != null && hash.equals(current.get(Labels.APPLIED_HASH))) {
            return false;
        }
        desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
        client.resource(desired).update();
        return true;
    }
}
