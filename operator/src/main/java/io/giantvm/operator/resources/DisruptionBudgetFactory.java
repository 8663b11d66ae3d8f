package io.giantvm.operator.resources;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.giantvm.operator.crd.GiantVM;

/**
 * A PodDisruptionBudget with {@code maxUnavailable: 0} over the VM's hypervisor pods: a guest cannot
 * survive losing the part of its memory one node holds, so a voluntary eviction (a drain, a cluster
 * autoscaler) of any of them is refused. To drain such a machine, halt the VM first
 * ({@code runStrategy: Halted}) or delete it.
 */
public final class DisruptionBudgetFactory {
    private DisruptionBudgetFactory() {}

    public static PodDisruptionBudget desired(GiantVM vm) {
        String name = vm.getMetadata().getName();
        return new PodDisruptionBudgetBuilder()
                .withMetadata(Owned.meta(vm, EngineLayout.disruptionBudgetName(name)))
                .withNewSpec()
                .withMaxUnavailable(new IntOrString(0))
                .withNewSelector().withMatchLabels(Labels.selector(name)).endSelector()
                .endSpec()
                .build();
    }
}
