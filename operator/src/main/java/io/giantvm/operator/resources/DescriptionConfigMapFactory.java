package io.giantvm.operator.resources;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.giantvm.operator.crd.GiantVM;

import java.util.Map;

/** The ConfigMap holding {@code vm.yaml}, mounted read-only into every hypervisor pod. */
public final class DescriptionConfigMapFactory {
    private DescriptionConfigMapFactory() {}

    public static ConfigMap desired(GiantVM vm, String description) {
        return new ConfigMapBuilder()
                .withMetadata(Owned.meta(vm, EngineLayout.configMapName(vm.getMetadata().getName())))
                .withData(Map.of(EngineLayout.CONFIG_FILE_NAME, description))
                .build();
    }
}
