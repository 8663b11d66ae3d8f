package io.giantvm.operator.resources;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.giantvm.operator.crd.GiantVM;

/** Metadata of objects the VM owns: Kubernetes' garbage collector removes them with the VM. */
public final class Owned {
    private Owned() {}

    public static OwnerReference ownerReference(GiantVM vm) {
        return new OwnerReferenceBuilder()
                .withApiVersion(vm.getApiVersion())
                .withKind(vm.getKind())
                .withName(vm.getMetadata().getName())
                .withUid(vm.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    public static ObjectMeta meta(GiantVM vm, String name) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(vm.getMetadata().getNamespace())
                .withLabels(Labels.common(vm.getMetadata().getName()))
                .withOwnerReferences(ownerReference(vm))
                .build();
    }
}
