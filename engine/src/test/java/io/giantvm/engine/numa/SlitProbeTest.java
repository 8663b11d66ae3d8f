package io.giantvm.engine.numa;

import io.giantvm.engine.dsm.DsmLayout;
import io.giantvm.engine.dsm.DsmNode;
import io.giantvm.engine.dsm.FaultKind;
import io.giantvm.engine.dsm.HomeMap;
import io.giantvm.engine.dsm.uffd.HostTouch;
import io.giantvm.engine.dsm.uffd.UffdFaultHandler;
import io.giantvm.engine.dsm.uffd.UffdPageMemory;
import io.giantvm.engine.mesh.LoopbackMesh;
import io.giantvm.engine.mesh.MeshAddress;
import io.giantvm.engine.mesh.TcpTransport;
import io.giantvm.engine.os.Libc;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class SlitProbeTest {
    private static final long MiB = 1 << 20;

    private static NumaTopology domains(long bytesEach, int count) {
        List<ProximityDomain> d = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            d.add(new ProximityDomain(i, i, 1, i * bytesEach, (i + 1) * bytesEach));
        }
        return new NumaTopology(d, SlitDistance.DEFAULT);
    }

    @Test
    void theDistanceIsTenTimesTheMedianRemoteFaultOverTheMedianLocalOne() {
        long[] local = {20_000, 18_000, 22_000, 5_000_000}; // one slow outlier: the median is 21 µs
        long[] remote = {100_000, 110_000, 90_000};
        SlitDistance d = SlitProbe.fromSamples(local, remote, "t");
        assertThat(d.remote()).isEqualTo(48); // 10 x 100 / 21 = 47.6
        assertThat(d.remoteFaultMicros()).isEqualTo(100.0);
        assertThat(d.localAccessMicros()).isEqualTo(21.0);
        assertThat(SlitProbe.fromSamples(new long[] {0, 0, 1}, remote, "t").source()).contains("not measured");
    }

    @Test
    void itTouchesTheTopPagesOfItsOwnHomeAndOfEveryOtherNodeInTurn() {
        SlitProbe.Plan p = SlitProbe.plan(domains(4 * MiB, 3), 1, 5);
        assertThat(p.local()).containsExactly(8 * MiB - 4096, 8 * MiB - 2 * 4096, 8 * MiB - 3 * 4096, 8 * MiB - 4 * 4096,
                8 * MiB - 5 * 4096);
        assertThat(p.remote()).containsExactly(4 * MiB - 4096, 12 * MiB - 4096, 4 * MiB - 2 * 4096, 12 * MiB - 2 * 4096,
                4 * MiB - 3 * 4096);
        assertThat(p.remoteNodes()).isEqualTo("nodes 0, 2");
    }

    @Test
    void aHomeRangeTooSmallForTheProbeFallsBackToTheDefaultSayingSo() {
        SlitDistance d = SlitProbe.measure(domains(8 * 4096, 2), 0, a -> { }, 4, 8, Duration.ofSeconds(5));
        assertThat(d.remote()).isEqualTo(SlitDistance.DEFAULT.remote());
        assertThat(d.source()).endsWith("not measured: node 0's home range has 8 pages, the probe needs 12");
    }

    @Test
    void aFaultThatFailsFallsBackToTheDefaultWithItsMessage() {
        SlitDistance d = SlitProbe.measure(domains(4 * MiB, 2), 0, a -> {
            if (a >= 4 * MiB) {
                throw new IllegalStateException("node 1 is down");
            }
        }, 2, 4, Duration.ofSeconds(5));
        assertThat(d.remote()).isEqualTo(SlitDistance.DEFAULT.remote());
        assertThat(d.source()).endsWith("not measured: a probe fault failed: node 1 is down");
    }

    @Test
    void faultsNobodyAnswersFallBackToTheDefaultInsteadOfHangingTheBoot() {
        CountDownLatch never = new CountDownLatch(1);
        try {
            SlitDistance d = SlitProbe.measure(domains(4 * MiB, 2), 0, a -> {
                if (a >= 4 * MiB) {
                    try {
                        never.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }, 2, 4, Duration.ofMillis(200));
            assertThat(d.remote()).isEqualTo(SlitDistance.DEFAULT.remote());
            assertThat(d.source()).endsWith("not measured: its 6 page faults each way did not finish within 200 ms");
        } finally {
            never.countDown();
        }
    }

    /** The real thing: two DSM nodes on userfaultfd over a loopback TCP mesh, node 0 probing as it does at boot. */
    @Test
    void overARealMeshItMeasuresFirstTouchFaultsHereAndOnThePeer() throws Exception {
        int pagesEach = 1024;
        HomeMap homes = HomeMap.evenPages(2, pagesEach);
        List<MeshAddress> addresses = LoopbackMesh.addresses(2);
        List<AutoCloseable> toClose = new ArrayList<>();
        Queue<Exception> failures = new ConcurrentLinkedQueue<>();
        List<DsmNode> dsm = new ArrayList<>();
        List<MemorySegment> rams = new ArrayList<>();
        List<CompletableFuture<Void>> started = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                TcpTransport t = new TcpTransport(i, addresses, "slit-probe-test");
                MemorySegment ram = UffdPageMemory.mapAnonymous(DsmLayout.addressOf(homes.pageCount()));
                UffdPageMemory memory = new UffdPageMemory(ram);
                DsmNode d = new DsmNode(t, homes, memory, Duration.ofSeconds(10));
                t.setHandler(d);
                toClose.addAll(List.of(new UffdFaultHandler(d, memory, Duration.ofSeconds(10), failures::add), d, t, memory,
                        () -> Libc.munmap(ram)));
                dsm.add(d);
                rams.add(ram);
                started.add(CompletableFuture.runAsync(() -> {
                    try {
                        t.start(Duration.ofSeconds(20));
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }, r -> Thread.ofPlatform().daemon().start(r)));
            }
            CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

            List<Long> seen = new ArrayList<>();
            SlitDistance d = SlitProbe.measure(domains(DsmLayout.addressOf(pagesEach), 2), 0,
                    a -> seen.add(HostTouch.load(rams.getFirst(), a)));

            System.out.println("SlitProbeTest over loopback TCP: remote " + d.explain()); // a figure for the record, not a goal
            assertThat(d.source()).startsWith("measured on node 0 at start: medians of 64 first-touch read faults on"
                    + " pages homed on node 1 and 64 on pages homed here, after 64 of each; ");
            assertThat(d.remote()).isBetween(SlitDistance.MIN_REMOTE, SlitDistance.MAX_REMOTE);
            assertThat(d.localAccessMicros()).isPositive();
            assertThat(seen).hasSize(256).containsOnly(0L);
            assertThat(dsm.get(0).stats().faults(FaultKind.READ_MISSING)).isEqualTo(256);
            assertThat(dsm.get(1).stats().remoteRequestsServed()).isEqualTo(128);
            assertThat(failures).isEmpty();
        } finally {
            for (AutoCloseable c : toClose) {
                c.close();
            }
        }
    }
}
