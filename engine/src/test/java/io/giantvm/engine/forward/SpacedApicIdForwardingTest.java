package io.giantvm.engine.forward;

import static io.giantvm.engine.forward.IpiMesh.physical;
import static org.assertj.core.api.Assertions.assertThat;

import io.giantvm.engine.cpu.ApicIdMap;
import io.giantvm.engine.devices.apic.ApicRouter;
import io.giantvm.engine.devices.apic.DeliveryMode;
import io.giantvm.engine.devices.apic.DestinationMode;
import io.giantvm.engine.devices.apic.DestinationShorthand;
import io.giantvm.engine.devices.apic.Ipi;
import io.giantvm.engine.devices.apic.TriggerMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * APIC ids spaced a package per node, as a Linux guest told of NUMA nodes has them: two nodes of two vCPUs, node 0
 * with APIC ids 0 and 1, node 1 with 8 and 9. Real routers and APICs over the in-process mesh; the wake-ups and
 * INIT/SIPI name the vCPU the map gives for the APIC id, as the engine's vCPU group does.
 */
class SpacedApicIdForwardingTest {
    private static final int NODES = 2;
    private static final int PER_NODE = 2;
    private static final int LDR = 0x0D0;

    private final ApicIdMap map = ApicIdMap.packagePerNode(NODES, PER_NODE);
    private final IpiMesh m = new IpiMesh(NODES, map, id -> "vCPU " + map.vcpu(id));
    private final ApicRouter[] routers = m.routers;
    private final MeshIpiSink[] sinks = m.sinks;

    SpacedApicIdForwardingTest() {
        for (int vcpu = 0; vcpu < NODES * PER_NODE; vcpu++) { // Linux's flat logical mode: LDR bit = CPU number, not APIC id
            routers[vcpu / PER_NODE].apic(map.apicId(vcpu)).write(vcpu, LDR, 4, 1 << (24 + vcpu));
        }
    }

    @AfterEach
    void tearDown() {
        m.close();
    }

    @Test
    void aUnicastToASpacedIdReachesThatVcpuOnTheNodeThatRunsIt() throws Exception {
        routers[0].send(physical(0, 9, DeliveryMode.FIXED, 0x40));

        assertThat(m.take(1)).containsExactly("wake vCPU 3@1");
        assertThat(routers[1].apic(9).pendingVector()).isEqualTo(0x40);
        assertThat(routers[1].apic(8).pendingVector()).isEqualTo(-1);
        assertThat(sinks[0].sent()).isEqualTo(1);
    }

    @Test
    void initAndStartupByApicIdStartTheFirstVcpuOfTheOtherNode() throws Exception {
        routers[0].send(physical(0, 8, DeliveryMode.INIT, 0));
        routers[0].send(physical(0, 8, DeliveryMode.STARTUP, 0x08));

        assertThat(m.take(2)).containsExactly("init vCPU 2@1", "sipi vCPU 2@1 page 0x8");
    }

    @Test
    void theOtherNodeReachesBackToApicOne() throws Exception {
        routers[1].send(physical(8, 1, DeliveryMode.FIXED, 0x41));

        assertThat(m.take(1)).containsExactly("wake vCPU 1@0");
        assertThat(routers[0].apic(1).pendingVector()).isEqualTo(0x41);
    }

    @Test
    void aBroadcastAndALogicalMessageFindTheSparseIdsOnBothNodes() throws Exception {
        routers[0].send(new Ipi(0, 0, DestinationMode.PHYSICAL, DestinationShorthand.ALL_EXCLUDING_SELF,
                DeliveryMode.FIXED, 0x50, true, TriggerMode.EDGE));
        assertThat(m.take(3)).containsExactlyInAnyOrder("wake vCPU 1@0", "wake vCPU 2@1", "wake vCPU 3@1");

        routers[1].send(new Ipi(8, 0b1010, DestinationMode.LOGICAL, DestinationShorthand.NONE, DeliveryMode.FIXED, 0x51,
                true, TriggerMode.EDGE));
        assertThat(m.take(2)).containsExactlyInAnyOrder("wake vCPU 1@0", "wake vCPU 3@1");
        assertThat(routers[0].apic(1).pendingVector()).isEqualTo(0x51);
        assertThat(routers[1].apic(8).pendingVector()).as("vCPU 2 was not in the mask").isEqualTo(0x50);
    }

    @Test
    void theIdsBetweenPackagesAndTheOldPackedIdsBelongToNobody() throws Exception {
        for (int id : new int[] {2, 3, 7, 10}) { // 2 and 3 were node 1's vCPUs when ids were packed
            routers[0].send(physical(0, id, DeliveryMode.FIXED, 0x40));
        }
        Thread.sleep(50);
        assertThat(m.events).isEmpty();
        assertThat(sinks[0].sent()).isZero();
    }
}
