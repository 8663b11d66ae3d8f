package io.giantvm.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.giantvm.operator.crd.GiantVM;
import io.giantvm.operator.crd.GiantVMStatus;
import io.giantvm.operator.crd.Phase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one way the operator writes a status (production and the flow tests alike), against the mock API
 * server: from a stale cached object, and clearing a field that was set.
 */
@EnableKubernetesMockClient(crud = true)
class StatusWriterTest {
    static KubernetesClient client;

    @BeforeAll
    static void crd() throws Exception {
        MockCluster.installCrd(client);
    }

    @Test
    void aStaleCachedObjectStillGetsItsStatusWritten() {
        GiantVM cached = client.resource(MockCluster.vm("stale", 2, 1, "64Mi")).create();
        // Someone (kubectl label, or our own previous status write) moved the object on: the cache lags.
        client.resources(GiantVM.class).inNamespace(MockCluster.NAMESPACE).withName("stale")
                .edit(vm -> {
                    vm.getMetadata().setLabels(Map.of("team", "x"));
                    return vm;
                });

        GiantVMStatus status = new GiantVMStatus();
        status.phase = Phase.WIRING;
        assertThat(StatusWriter.write(client, cached, status)).isPresent();

        GiantVM stored = get("stale");
        assertThat(stored.getStatus().phase).isEqualTo(Phase.WIRING);
        assertThat(stored.getMetadata().getLabels()).containsEntry("team", "x");
        assertThat(cached.getStatus()).as("the cached object is the informer's: never modified").isNull();
    }

    @Test
    void aFieldNoLongerSetDisappears() {
        GiantVM vm = client.resource(MockCluster.vm("clears", 2, 1, "64Mi")).create();
        GiantVMStatus restarting = new GiantVMStatus();
        restarting.phase = Phase.WIRING;
        restarting.restart = "nodes 2 -> 3";
        GiantVM written = StatusWriter.write(client, vm, restarting).orElseThrow();
        assertThat(get("clears").getStatus().restart).isEqualTo("nodes 2 -> 3");

        GiantVMStatus running = new GiantVMStatus();
        running.phase = Phase.RUNNING;
        StatusWriter.write(client, written, running);

        // A JSON merge patch would leave "restart" in place: null fields are not serialized.
        assertThat(get("clears").getStatus().restart).isNull();
        assertThat(get("clears").getStatus().phase).isEqualTo(Phase.RUNNING);
    }

    @Test
    void aVmDeletedMeanwhileIsNotAnError() {
        GiantVM vm = client.resource(MockCluster.vm("gone", 2, 1, "64Mi")).create();
        client.resource(vm).delete();
        GiantVMStatus s = new GiantVMStatus();
        s.phase = Phase.RUNNING;
        assertThat(StatusWriter.write(client, vm, s)).isEmpty();
    }

    private static GiantVM get(String name) {
        return client.resources(GiantVM.class).inNamespace(MockCluster.NAMESPACE).withName(name).get();
    }
}
