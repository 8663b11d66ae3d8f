package io.giantvm.operator.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.giantvm.operator.engine.EngineStatusProbe;
import io.giantvm.operator.reconciler.GiantVmReconciler;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;

import java.time.Clock;

/**
 * Builds the JOSDK operator with the GiantVM controller. Shared by main and the tests so that tests
 * run the same wiring; only server-side apply differs, because the mock API server rejects it.
 */
public final class OperatorRuntime {
    private OperatorRuntime() {}

    public static Operator create(KubernetesClient client, OperatorSettings settings, EngineStatusProbe engines,
                                  ReconcileMetrics metrics, boolean serverSideApply) {
        Operator operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withMetrics(metrics)
                    .withCloseClientOnStop(false)
                    .withUseSSAToPatchPrimaryResource(serverSideApply)
                    .withSSABasedCreateUpdateMatchForDependentResources(serverSideApply);
            if (settings.leaderElection()) {
                o.withLeaderElectionConfiguration(
                        new LeaderElectionConfiguration(settings.leaseName(), settings.leaseNamespace()));
            }
        });
        operator.register(new GiantVmReconciler(settings, engines, Clock.systemUTC()), c -> {
            if (settings.watchNamespaces().isEmpty()) {
                c.watchingAllNamespaces();
            } else {
                c.settingNamespaces(settings.watchNamespaces());
            }
        });
        return operator;
    }
}
