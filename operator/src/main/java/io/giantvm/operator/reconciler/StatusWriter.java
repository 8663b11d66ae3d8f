package io.giantvm.operator.reconciler;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.giantvm.operator.crd.GiantVM;
import io.giantvm.operator.crd.GiantVMStatus;

import java.net.HttpURLConnection;
import java.util.Optional;

/**
 * Writes a GiantVM's whole status through the status subresource (PUT, "update status"), the one path
 * used in production and in every test.
 *
 * <p>Why not a patch of the cached object: the informer cache lags the operator's own writes, so a
 * write guarded by the cached resourceVersion fails with 409 on the pass right after a write, and a
 * JSON merge patch cannot remove a field (a null is left out of the JSON). Here the status is put
 * whole (fields that are now null disappear), starting from the cached resourceVersion and, on a
 * conflict, from a fresh read: the operator is the status's only writer, so the newest object with
 * our status is always right. The cached object is never modified (it belongs to the informer).
 */
final class StatusWriter {
    /** Conflicts come from our own earlier write or a concurrent spec edit; a few re-reads always settle them. */
    static final int ATTEMPTS = 5;

    private StatusWriter() {}

    /** @return the VM as stored after the write, or empty when the VM no longer exists */
    static Optional<GiantVM> write(KubernetesClient client, GiantVM cached, GiantVMStatus status) {
        String namespace = cached.getMetadata().getNamespace();
        String name = cached.getMetadata().getName();
        GiantVM base = cached;
        for (int attempt = 1; ; attempt++) {
            GiantVM out = new GiantVM();
            out.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace)
                    .withUid(base.getMetadata().getUid())
                    .withResourceVersion(base.getMetadata().getResourceVersion()).build());
            out.setSpec(base.getSpec());
            out.setStatus(status);
            try {
                return Optional.of(client.resource(out).updateStatus());
            } catch (KubernetesClientException e) {
                if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                    return Optional.empty();
                }
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= ATTEMPTS) {
                    throw e;
                }
                GiantVM fresh = client.resources(GiantVM.class).inNamespace(namespace).withName(name).get();
                // Deleted, or deleted and created anew under the same name: this status is not about it.
                if (fresh == null || !fresh.getMetadata().getUid().equals(cached.getMetadata().getUid())) {
                    return Optional.empty();
                }
                base = fresh;
            }
        }
    }
}
