package io.giantvm.operator.resources;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.giantvm.operator.crd.GiantVM;

/** The headless Service that gives hypervisor i the DNS name {@code <vm>-i.<vm>-mesh.<ns>.svc.cluster.local}. */
public final class MeshServiceFactory {
    private MeshServiceFactory() {}

    public static Service desired(GiantVM vm) {
        String name = vm.getMetadata().getName();
        return new ServiceBuilder()
                .withMetadata(Owned.meta(vm, EngineLayout.meshServiceName(name)))
                .withNewSpec()
                .withClusterIP("None")
                // Peers must resolve each other before they are ready: readiness waits for the full mesh,
                // so publishing only ready addresses would deadlock the wiring.
                .withPublishNotReadyAddresses(true)
                .withSelector(Labels.selector(name))
                .addNewPort().withName(EngineLayout.MESH_PORT_NAME).withPort(EngineLayout.MESH_PORT)
                .withProtocol("TCP").endPort()
                .addNewPort().withName(EngineLayout.CONTROL_PORT_NAME).withPort(EngineLayout.CONTROL_PORT)
                .withProtocol("TCP").endPort()
                .endSpec()
                .build();
    }
}
