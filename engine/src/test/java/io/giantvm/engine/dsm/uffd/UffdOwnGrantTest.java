package io.giantvm.engine.dsm.uffd;

import static org.assertj.core.api.Assertions.assertThat;

import io.giantvm.engine.dsm.DsmFaultException;
import io.giantvm.engine.dsm.DsmLayout;
import io.giantvm.engine.dsm.DsmNode;
import io.giantvm.engine.dsm.GuestMemoryAccess;
import io.giantvm.engine.dsm.HomeMap;
import io.giantvm.engine.mesh.FrameDispatcher;
import io.giantvm.engine.mesh.FrameHandler;
import io.giantvm.engine.mesh.LoopbackMesh;
import io.giantvm.engine.mesh.MeshAddress;
import io.giantvm.engine.mesh.TcpTransport;
import io.giantvm.engine.mesh.v1.Frame;
import io.giantvm.engine.os.Libc;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two DSM nodes over the real TCP mesh with real userfaultfd, in one JVM: the grant of a remote fault is installed
 * by the thread that raised the fault (the uffd reader), which read it off the connection itself, not by the
 * connection's receive thread. Which thread handled each grant is recorded at the dispatcher.
 */
class UffdOwnGrantTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int PAGES = 40;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final Queue<DsmFaultException> failures = new ConcurrentLinkedQueue<>();
    /** Thread name → grants it handled, at node 1. */
    private final Map<String, AtomicInteger> grantsHandledOn = new ConcurrentHashMap<>();

    private record Node(DsmNode dsm, UffdPageMemory memory, UffdFaultHandler faults) {}

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
        assertThat(failures).isEmpty();
    }

    private List<Node> cluster() throws Exception {
        List<MeshAddress> addresses = LoopbackMesh.addresses(2);
        HomeMap homes = HomeMap.evenPages(2, PAGES);
        List<Node> out = new ArrayList<>();
        List<TcpTransport> transports = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            TcpTransport transport = new TcpTransport(i, addresses, "own-grant");
            MemorySegment ram = UffdPageMemory.mapAnonymous(DsmLayout.addressOf(homes.pageCount()));
            UffdPageMemory memory = new UffdPageMemory(ram);
            DsmNode dsm = new DsmNode(transport, homes, memory, TIMEOUT);
            FrameDispatcher dispatcher = new FrameDispatcher();
            dispatcher.route(dsm, Frame.BodyCase.DSM_REQUEST, Frame.BodyCase.DSM_FORWARD, Frame.BodyCase.DSM_INVALIDATE,
                    Frame.BodyCase.DSM_INVALIDATE_ACK, Frame.BodyCase.DSM_CONFIRM);
            boolean recorded = i == 1;
            dispatcher.route(new FrameHandler() {
                @Override
                public void onFrame(Frame f) {
                    onFrame(f, null);
                }

                @Override
                public void onFrame(Frame f, ByteBuffer page) {
                    if (recorded) {
                        grantsHandledOn.computeIfAbsent(Thread.currentThread().getName(), k -> new AtomicInteger()).incrementAndGet();
                    }
                    dsm.onFrame(f, page);
                }
            }, Frame.BodyCase.DSM_GRANT);
            transport.setHandler(dispatcher);
            toClose.add(transport);
            toClose.add(() -> Libc.munmap(ram));
            toClose.add(memory);
            toClose.add(dsm);
            UffdFaultHandler faults = new UffdFaultHandler(dsm, memory, TIMEOUT, failures::add);
            toClose.add(faults);
            transports.add(transport);
            out.add(new Node(dsm, memory, faults));
        }
        LoopbackMesh.startAll(transports);
        return out;
    }

    @Test
    void theFaultingThreadInstallsTheGrantOfARemoteFault() throws Exception {
        List<Node> nodes = cluster();
        GuestMemoryAccess node0 = new GuestMemoryAccess(nodes.get(0).dsm());
        for (long p = 0; p < PAGES; p++) {
            node0.writeLong(DsmLayout.addressOf(p), p + 1); // homed and owned at node 0: each grant carries the page
        }
        MemorySegment ram1 = nodes.get(1).memory().ram();
        long[] seen = new long[PAGES];
        Thread toucher = Thread.ofPlatform().name("toucher").start(() -> {
            for (int p = 0; p < PAGES; p++) {
                seen[p] = HostTouch.load(ram1, DsmLayout.addressOf(p));
            }
        });
        toucher.join(TIMEOUT);
        assertThat(toucher.isAlive()).isFalse();
        for (int p = 0; p < PAGES; p++) {
            assertThat(seen[p]).isEqualTo(p + 1);
        }
        // The uffd reader takes the connection over before its request leaves, so the receive thread sees a grant
        // only if it was busy with another frame at that moment or the grant took longer than the reader's budget
        // (MeshLayout.OWN_REPLY_SPIN; on a starved host many may): on the old design all 40 were mesh-rx-0's.
        int total = grantsHandledOn.values().stream().mapToInt(AtomicInteger::get).sum();
        assertThat(total).isEqualTo(PAGES);
        assertThat(grantsHandledOn.keySet()).isSubsetOf("uffd-reader-1", "mesh-rx-0");
        assertThat(grantsHandledOn.get("uffd-reader-1")).as("grants installed by the faulting thread, of %d: %s", PAGES, grantsHandledOn)
                .isNotNull().hasValueGreaterThan(0);
        // The reader counts a grant as its own after the install has woken the toucher: count once it has stopped.
        nodes.get(1).faults().close();
        assertThat(nodes.get(1).dsm().stats().ownGrants()).isEqualTo(grantsHandledOn.get("uffd-reader-1").get());
    }
}
