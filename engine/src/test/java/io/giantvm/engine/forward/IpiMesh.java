package io.giantvm.engine.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.giantvm.engine.cpu.ApicIdMap;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Nodes of vCPUs with real routers and software-enabled APICs (ids from {@code map}), joined by MeshIpiSink and
 * IpiReceiver over the in-process mesh. Wake-ups, INITs and SIPIs are recorded as "wake NAME@node", "init NAME@node"
 * and "sipi NAME@node page 0xV", NAME being what {@code name} makes of the APIC id.
 */
final class IpiMesh implements AutoCloseable {
    private static final int SVR = 0x0F0;

    final ApicRouter[] routers;
    final MeshIpiSink[] sinks;
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final InProcessMesh mesh;
    private final HostTimerScheduler timers = new HostTimerScheduler();

    IpiMesh(int nodes, ApicIdMap map, IntFunction<String> name) {
        int perNode = map.vcpus() / nodes;
        mesh = InProcessMesh.threaded(nodes, null, Duration.ZERO);
        routers = new ApicRouter[nodes];
        sinks = new MeshIpiSink[nodes];
        for (int n = 0; n < nodes; n++) {
            int node = n;
            sinks[n] = new MeshIpiSink(mesh.transport(n), map, vcpu -> vcpu / perNode);
            routers[n] = new ApicRouter(id -> events.add("wake " + name.apply(id) + "@" + node), new ApLifecycle() {
                @Override
                public void init(int apicId) {
                    events.add("init " + name.apply(apicId) + "@" + node);
                }

                @Override
                public void startup(int apicId, int vector) {
                    events.add("sipi " + name.apply(apicId) + "@" + node + " page 0x" + Integer.toHexString(vector));
                }
            }, sinks[n]);
            for (int vcpu = n * perNode; vcpu < (n + 1) * perNode; vcpu++) {
                LocalApic apic = new LocalApic(map.apicId(vcpu), routers[n], timers, x -> { });
                apic.write(vcpu, SVR, 4, 0x1FF); // software-enabled, as the guest does before taking IPIs
                routers[n].register(apic);
            }
            mesh.transport(n).setHandler(new FrameDispatcher().route(new IpiReceiver(routers[n]), Frame.BodyCase.IPI));
        }
    }

    static Ipi physical(int from, int to, DeliveryMode mode, int vector) {
        return new Ipi(from, to, DestinationMode.PHYSICAL, DestinationShorthand.NONE, mode, vector, true, TriggerMode.EDGE);
    }

    /** The next {@code n} events, waiting up to 5 s for each. */
    List<String> take(int n) throws InterruptedException {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String e = events.poll(5, TimeUnit.SECONDS);
            assertThat(e).as("event %d of %d (got %s)", i + 1, n, got).isNotNull();
            got.add(e);
        }
        return got;
    }

    @Override
    public void close() {
        timers.close();
        mesh.close();
    }
}
