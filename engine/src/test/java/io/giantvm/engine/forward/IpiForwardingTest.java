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
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three nodes, two vCPUs each (node i hosts APIC ids 2i and 2i+1), with real routers and APICs joined by
 * MeshIpiSink and IpiReceiver over the in-process mesh.
 */
class IpiForwardingTest {
    private static final int NODES = 3;
    private static final int PER_NODE = 2;

    private final IpiMesh m = new IpiMesh(NODES, ApicIdMap.flat(NODES * PER_NODE), String::valueOf);
    private final ApicRouter[] routers = m.routers;
    private final MeshIpiSink[] sinks = m.sinks;
    private final BlockingQueue<String> events = m.events;

    @AfterEach
    void tearDown() {
        m.close();
    }

    @Test
    void aFixedUnicastReachesOnlyTheNodeThatRunsTheDestination() throws Exception {
        routers[0].send(physical(0, 5, DeliveryMode.FIXED, 0x40));

        assertThat(m.take(1)).containsExactly("wake 5@2");
        assertThat(routers[2].apic(5).pendingVector()).isEqualTo(0x40);
        assertThat(sinks[0].sent()).isEqualTo(1);
        Thread.sleep(50);
        assertThat(events).isEmpty();
        assertThat(routers[1].apic(2).pendingVector()).isEqualTo(-1);
    }

    @Test
    void initThenStartupStartsAnApplicationProcessorOnAnotherNodeInOrder() throws Exception {
        routers[0].send(physical(0, 3, DeliveryMode.INIT, 0));
        routers[0].send(physical(0, 3, DeliveryMode.STARTUP, 0x08));

        assertThat(m.take(2)).containsExactly("init 3@1", "sipi 3@1 page 0x8");
    }

    @Test
    void aBroadcastExcludingSelfReachesEveryOtherApicOnEveryNode() throws Exception {
        routers[1].send(new Ipi(2, 0, DestinationMode.PHYSICAL, DestinationShorthand.ALL_EXCLUDING_SELF,
                DeliveryMode.FIXED, 0x50, true, TriggerMode.EDGE));

        assertThat(m.take(5)).containsExactlyInAnyOrder("wake 0@0", "wake 1@0", "wake 3@1", "wake 4@2", "wake 5@2");
        assertThat(routers[1].apic(2).pendingVector()).isEqualTo(-1);
        assertThat(sinks[1].sent()).isEqualTo(2); // one frame per other node
    }

    @Test
    void aUnicastToAnIdOutsideTheVmGoesNowhere() throws Exception {
        routers[0].send(physical(0, 9, DeliveryMode.FIXED, 0x40));
        Thread.sleep(50);
        assertThat(events).isEmpty();
        assertThat(sinks[0].sent()).isZero();
    }

    @Test
    void everyFieldSurvivesTheWire() {
        for (DeliveryMode mode : DeliveryMode.values()) {
            for (DestinationShorthand shorthand : DestinationShorthand.values()) {
                Ipi ipi = new Ipi(7, 0x81, DestinationMode.LOGICAL, shorthand, mode, 0xfe, mode.ordinal() % 2 == 0, TriggerMode.LEVEL);
                assertThat(IpiCodec.decode(IpiCodec.encode(ipi))).isEqualTo(ipi);
            }
        }
        Ipi plain = physical(3, 200, DeliveryMode.FIXED, 0x21);
        assertThat(IpiCodec.decode(IpiCodec.encode(plain))).isEqualTo(plain);
    }
}
