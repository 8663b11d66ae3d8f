package io.giantvm.engine.devices.apic;

import static io.giantvm.engine.devices.apic.ApicFixture.read;
import static io.giantvm.engine.devices.apic.ApicFixture.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A node hosting APIC ids 0, 1 and 2; everything else lives on "other nodes" behind the remote sink. */
class ApicRouterTest {
    private final ManualTimerScheduler clock = new ManualTimerScheduler();
    private final List<Integer> wakes = Collections.synchronizedList(new ArrayList<>());
    private final List<String> lifecycle = new ArrayList<>();
    private final List<Ipi> forwarded = new ArrayList<>();
    private final ApicRouter router = new ApicRouter(wakes::add, new ApLifecycle() {
        @Override
        public void init(int apicId) {
            lifecycle.add("init " + apicId);
        }

        @Override
        public void startup(int apicId, int vector) {
            lifecycle.add("startup %d 0x%x".formatted(apicId, vector));
        }
    }, forwarded::add);
    private final LocalApic[] apics = new LocalApic[3];

    ApicRouterTest() {
        for (int id = 0; id < apics.length; id++) {
            apics[id] = new LocalApic(id, router, clock, wakes::add);
            router.register(apics[id]);
            write(apics[id], 0x0F0, 0x1FF);
        }
    }

    private void send(int from, int destination, int icrLow) {
        write(apics[from], 0x310, destination << 24);
        write(apics[from], 0x300, icrLow);
    }

    private List<Integer> pendingVectors() {
        return List.of(apics[0].pendingVector(), apics[1].pendingVector(), apics[2].pendingVector());
    }

    @Test
    void localFixedIpiSetsIrrAndWakesTheTarget() {
        send(0, 1, 0x4040);
        assertThat(pendingVectors()).containsExactly(-1, 0x40, -1);
        assertThat(wakes).containsExactly(1);
        assertThat(forwarded).isEmpty();
        assertThat(router.droppedIpis()).isZero();
    }

    @Test
    void fixedIpiToADisabledApicIsDroppedWithoutWaking() {
        write(apics[2], 0x0F0, 0x0FF);
        send(0, 2, 0x4040);
        assertThat(read(apics[2], 0x220)).isZero();
        assertThat(wakes).isEmpty();
    }

    @Test
    void initSipiSipiResetsTheApicAndDrivesTheLifecycle() {
        write(apics[1], 0x080, 0x30);
        send(0, 1, 0x4500);
        send(0, 1, 0x4608);
        send(0, 1, 0x4608);
        assertThat(lifecycle).containsExactly("init 1", "startup 1 0x8", "startup 1 0x8");
        assertThat(read(apics[1], 0x080)).as("INIT reset the target's TPR").isZero();
        assertThat(read(apics[1], 0x0F0)).as("and software-disabled it").isEqualTo(0xFF);
        assertThat(read(apics[0], 0x0F0)).as("the sender is untouched").isEqualTo(0x1FF);
        assertThat(forwarded).isEmpty();
    }

    @Test
    void initLevelDeassertDoesNothing() {
        send(0, 0, 0x8500 | (2 << 18));
        assertThat(lifecycle).isEmpty();
        assertThat(router.droppedIpis()).isEqualTo(1);
        assertThat(apics[1].isSoftwareEnabled()).isTrue();
    }

    @Test
    void unicastToAnIdNotHostedHereGoesToTheRemoteSink() {
        send(1, 7, 0x4608);
        assertThat(forwarded).containsExactly(new Ipi(1, 7, DestinationMode.PHYSICAL, DestinationShorthand.NONE,
                DeliveryMode.STARTUP, 8, true, TriggerMode.EDGE));
        assertThat(lifecycle).isEmpty();
        assertThat(router.forwardedIpis()).isEqualTo(1);
    }

    @Test
    void withoutAMeshAnUnknownIdIsCountedAsDropped() {
        ApicRouter single = new ApicRouter(wakes::add, new IgnoringLifecycle(), RemoteIpiSink.NONE);
        LocalApic only = new LocalApic(0, single, clock, wakes::add);
        single.register(only);
        write(only, 0x0F0, 0x1FF);
        write(only, 0x310, 0x0500_0000);
        write(only, 0x300, 0x4040);
        assertThat(single.droppedIpis()).isEqualTo(1);
        assertThat(single.forwardedIpis()).isZero();
        assertThat(wakes).isEmpty();
    }

    @Test
    void allExcludingSelfReachesEveryOtherLocalApicAndOtherNodes() {
        send(1, 0, 0x4030 | (3 << 18));
        assertThat(pendingVectors()).containsExactly(0x30, -1, 0x30);
        assertThat(wakes).containsExactly(0, 2);
        assertThat(forwarded).hasSize(1);
    }

    @Test
    void allIncludingSelfAndPhysicalBroadcastReachEveryLocalApic() {
        send(1, 0, 0x4030 | (2 << 18));
        assertThat(pendingVectors()).containsExactly(0x30, 0x30, 0x30);
        send(2, 0xFF, 0x4050);
        assertThat(pendingVectors()).containsExactly(0x50, 0x50, 0x50);
        assertThat(forwarded).hasSize(2);
    }

    @Test
    void selfIpiStaysOnTheSender() {
        send(2, 0, 0x4041 | (1 << 18));
        assertThat(pendingVectors()).containsExactly(-1, -1, 0x41);
        assertThat(wakes).containsExactly(2);
        assertThat(forwarded).isEmpty();
    }

    @Test
    void ipisFromOtherNodesAreDeliveredLocallyAndNeverForwardedAgain() {
        router.deliverFromRemote(new Ipi(9, 2, DestinationMode.PHYSICAL, DestinationShorthand.NONE,
                DeliveryMode.FIXED, 0x40, true, TriggerMode.EDGE));
        router.deliverFromRemote(new Ipi(9, 0, DestinationMode.PHYSICAL, DestinationShorthand.ALL_EXCLUDING_SELF,
                DeliveryMode.FIXED, 0x60, true, TriggerMode.EDGE));
        router.deliverFromRemote(new Ipi(9, 8, DestinationMode.PHYSICAL, DestinationShorthand.NONE,
                DeliveryMode.FIXED, 0x70, true, TriggerMode.EDGE));
        assertThat(pendingVectors()).containsExactly(0x60, 0x60, 0x60);
        assertThat(read(apics[2], 0x220)).isEqualTo(1); // 0x40 is there too
        assertThat(forwarded).isEmpty();
        assertThat(router.droppedIpis()).as("id 8 is not hosted here").isEqualTo(1);
    }

    @Test
    void logicalFlatDestinationSelectsByLdrBits() {
        write(apics[0], 0x0D0, 0x0100_0000);
        write(apics[1], 0x0D0, 0x0200_0000);
        write(apics[2], 0x0D0, 0x0400_0000);
        send(0, 0x05, 0x4840);
        assertThat(pendingVectors()).containsExactly(0x40, -1, 0x40);
        assertThat(forwarded).as("other nodes may hold matching APICs").hasSize(1);
    }

    @Test
    void lowestPriorityPicksTheLocalApicWithTheLowestPpr() {
        for (int id = 0; id < 3; id++) {
            write(apics[id], 0x0D0, (1 << id) << 24);
        }
        write(apics[0], 0x080, 0x30);
        write(apics[1], 0x080, 0x10);
        write(apics[2], 0x080, 0x20);
        send(0, 0x07, 0x4940);
        assertThat(read(apics[1], 0x220)).isEqualTo(1);
        assertThat(read(apics[0], 0x220) | read(apics[2], 0x220)).isZero();
        assertThat(wakes).containsExactly(1);
        assertThat(forwarded).isEmpty();
    }

    @Test
    void nmiIsMarkedPendingAndWakes() {
        send(0, 2, 0x4400);
        assertThat(apics[2].takeNmi()).isTrue();
        assertThat(apics[1].takeNmi()).isFalse();
        assertThat(wakes).containsExactly(2);
    }

    @Test
    void smiIsDropped() {
        send(0, 1, 0x4200);
        assertThat(router.droppedIpis()).isEqualTo(1);
        assertThat(wakes).isEmpty();
        assertThat(forwarded).isEmpty();
    }

    @Test
    void anApicIdIsHostedOnce() {
        assertThatThrownBy(() -> router.register(new LocalApic(1, router, clock, wakes::add)))
                .hasMessageContaining("APIC id 1 is already registered");
        assertThat(router.apic(1)).isSameAs(apics[1]);
        assertThat(router.apic(3)).isNull();
    }

    @Test
    void twoVcpusSendingEachOtherIpisDoNotDeadlock() throws InterruptedException {
        int rounds = 20_000;
        AtomicInteger failures = new AtomicInteger();
        Thread a = pingThread("ping-0", 0, 1, rounds, failures);
        Thread b = pingThread("ping-1", 1, 0, rounds, failures);
        a.start();
        b.start();
        a.join(TimeUnit.SECONDS.toMillis(30));
        b.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(a.isAlive() || b.isAlive()).as("both senders finished").isFalse();
        assertThat(failures).hasValue(0);
        assertThat(wakes).hasSize(2 * rounds);
    }

    /** Sends to {@code to} and services its own APIC like a vCPU would (acknowledge + EOI). */
    private Thread pingThread(String name, int from, int to, int rounds, AtomicInteger failures) {
        return new Thread(() -> {
            for (int i = 0; i < rounds; i++) {
                send(from, to, 0x4040);
                int vector = apics[from].acknowledge();
                if (vector != -1 && vector != 0x40) {
                    failures.incrementAndGet();
                }
                if (vector == 0x40) {
                    write(apics[from], 0x0B0, 0);
                }
            }
        }, name);
    }

    private static final class IgnoringLifecycle implements ApLifecycle {
        @Override
        public void init(int apicId) {
        }

        @Override
        public void startup(int apicId, int vector) {
        }
    }
}
