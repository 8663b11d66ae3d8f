package io.giantvm.engine.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.giantvm.engine.devices.apic.ApLifecycle;
import io.giantvm.engine.devices.apic.ApicRouter;
import io.giantvm.engine.devices.apic.DeliveryMode;
import io.giantvm.engine.devices.apic.DestinationMode;
import io.giantvm.engine.devices.apic.DestinationShorthand;
import io.giantvm.engine.devices.apic.HostTimerScheduler;
import io.giantvm.engine.devices.apic.Ipi;
import io.giantvm.engine.devices.apic.LocalApic;
import io.giantvm.engine.devices.apic.TriggerMode;
import io.giantvm.engine.mesh.FrameDispatcher;
import io.giantvm.engine.mesh.InProcessMesh;
import io.giantvm.engine.mesh.v1.Frame;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three nodes, two vCPUs each (node i hosts APIC ids 2i and 2i+1), with real routers and APICs joined by
 * MeshIpiSink and IpiReceiver over the in-process mesh.
 */
class IpiForwardingTest {
    private static final int NODES = 3;
    private static final int PER_NODE = 2;
    private static final int SVR = 0x0F0;

    private final InProcessMesh mesh = InProcessMesh.threaded(NODES, null, Duration.ZERO);
    private final HostTimerScheduler timers = new HostTimerScheduler();
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final ApicRouter[] routers = new ApicRouter[NODES];
    private final MeshIpiSink[] sinks = new MeshIpiSink[NODES];

    IpiForwardingTest() {
        for (int n = 0; n < NODES; n++) {
            int node = n;
            sinks[n] = new MeshIpiSink(mesh.transport(n), id -> id / PER_NODE, NODES * PER_NODE);
            routers[n] = new ApicRouter(id -> events.add("wake " + id + "@" + node), new ApLifecycle() {
                @Override
                public void init(int apicId) {
                    events.add("init " + apicId + "@" + node);
                }

                @Override
                public void startup(int apicId, int vector) {
                    events.add("sipi " + apicId + "@" + node + " page 0x" + Integer.toHexString(vector));
                }
            }, sinks[n]);
            for (int k = 0; k < PER_NODE; k++) {
                int id = n * PER_NODE + k;
                LocalApic apic = new LocalApic(id, routers[n], timers, x -> { });
                apic.write(id, SVR, 4, 0x1FF); // software-enabled, as the guest does before taking IPIs
                routers[n].register(apic);
            }
            mesh.transport(n).setHandler(new FrameDispatcher().route(new IpiReceiver(routers[n]), Frame.BodyCase.IPI));
        }
    }

    @AfterEach
    void tearDown() {
        timers.close();
        mesh.close();
    }

    private static Ipi physical(int from, int to, DeliveryMode mode, int vector) {
        return new Ipi(from, to, DestinationMode.PHYSICAL, DestinationShorthand.NONE, mode, vector, true, TriggerMode.EDGE);
    }

    private List<String> take(int n) throws InterruptedException {
        List<String> got = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            String e = events.poll(5, TimeUnit.SECONDS);
            assertThat(e).as("event %d of %d (got %s)", i + 1, n, got).isNotNull();
            got.add(e);
        }
        return got;
    }

    @Test
    void aFixedUnicastReachesOnlyTheNodeThatRunsTheDestination() throws Exception {
        routers[0].send(physical(0, 5, DeliveryMode.FIXED, 0x40));

        assertThat(take(1)).containsExactly("wake 5@2");
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

        assertThat(take(2)).containsExactly("init 3@1", "sipi 3@1 page 0x8");
    }

    @Test
    void aBroadcastExcludingSelfReachesEveryOtherApicOnEveryNode() throws Exception {
        routers[1].send(new Ipi(2, 0, DestinationMode.PHYSICAL, DestinationShorthand.ALL_EXCLUDING_SELF,
                DeliveryMode.FIXED, 0x50, true, TriggerMode.EDGE));

        assertThat(take(5)).containsExactlyInAnyOrder("wake 0@0", "wake 1@0", "wake 3@1", "wake 4@2", "wake 5@2");
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
