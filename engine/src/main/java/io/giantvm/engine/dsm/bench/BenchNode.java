package io.giantvm.engine.dsm.bench;

import io.giantvm.engine.dsm.DsmLayout;
import io.giantvm.engine.devices.Bus;
import io.giantvm.engine.devices.BusDevice;
import io.giantvm.engine.dsm.DsmNode;
import io.giantvm.engine.dsm.HomeMap;
import io.giantvm.engine.dsm.uffd.UffdFaultHandler;
import io.giantvm.engine.dsm.uffd.UffdPageMemory;
import io.giantvm.engine.mesh.FrameDispatcher;
import io.giantvm.engine.mesh.FrameHandler;
import io.giantvm.engine.mesh.MeshAddress;
import io.giantvm.engine.mesh.TcpTransport;
import com.google.protobuf.ByteString;
import io.giantvm.engine.forward.IoServer;
import io.giantvm.engine.forward.RemoteDevice;
import io.giantvm.engine.mesh.v1.Frame;
import io.giantvm.engine.mesh.v1.IoSpace;
import io.giantvm.engine.mesh.v1.Ping;
import io.giantvm.engine.os.Libc;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;

/** One node of the two-process benchmark DSM: TCP mesh, uffd-backed RAM, and a handler for bench control frames. */
final class BenchNode implements AutoCloseable {
    final TcpTransport transport;
    final DsmNode dsm;
    final UffdPageMemory memory;
    private final MemorySegment ram;
    private final UffdFaultHandler faults;
    private final IoServer io;
    /** Node 0's stand-in for node 1's port: each read is forwarded as a guest's port read on node 0 would be. */
    final RemoteDevice remotePort;

    BenchNode(int self, int port0, int port1, FrameHandler control) throws InterruptedException {
        this(self, List.of(new MeshAddress(0, "127.0.0.1", port0), new MeshAddress(1, "127.0.0.1", port1)), control);
    }

    /** The same node on any two addresses, e.g. in two network namespaces. */
    BenchNode(int self, List<MeshAddress> nodes, FrameHandler control) throws InterruptedException {
        HomeMap homes = HomeMap.evenPages(nodes.size(), BenchLayout.PAGES_PER_NODE);
        transport = new TcpTransport(self, nodes, "dsm-bench");
        ram = UffdPageMemory.mapAnonymous(DsmLayout.addressOf(homes.pageCount()));
        memory = new UffdPageMemory(ram);
        dsm = new DsmNode(transport, homes, memory, Duration.ofSeconds(10));
        faults = new UffdFaultHandler(dsm, memory, Duration.ofSeconds(10), e -> {
            System.err.println("dsm-latency: " + e.getMessage());
            System.exit(1); // a toucher is stuck in a fault forever: nothing sensible is left to measure
        });
        Bus pio = new Bus("bench-pio");
        pio.register(BenchLayout.FORWARDED_PORT, 1, "bench-port", new BusDevice() {
            @Override
            public long read(int vcpu, long offset, int size) {
                return BenchLayout.FORWARDED_PORT_VALUE;
            }

            @Override
            public void write(int vcpu, long offset, int size, long value) {
            }

            @Override
            public boolean mayWaitOnMesh() {
                return false; // a register, as most port devices: served on the receive thread
            }
        });
        io = new IoServer(transport, pio, new Bus("bench-mmio"));
        remotePort = new RemoteDevice(transport, self == 0 ? 1 : 0, IoSpace.PORT, BenchLayout.FORWARDED_PORT, "bench-port", Duration.ofSeconds(10));
        transport.setHandler(new FrameDispatcher()
                .route(io, Frame.BodyCase.IO_REQUEST)
                .route(dsm, Frame.BodyCase.DSM_REQUEST, Frame.BodyCase.DSM_FORWARD, Frame.BodyCase.DSM_GRANT,
                        Frame.BodyCase.DSM_INVALIDATE, Frame.BodyCase.DSM_INVALIDATE_ACK, Frame.BodyCase.DSM_CONFIRM)
                .route(control, Frame.BodyCase.OPAQUE)
                .route(this::echo, Frame.BodyCase.PING));
        transport.start(Duration.ofSeconds(30));
    }

    /**
     * The page the echo answers with, made once: the figure is the mesh's, and a fresh 4 KiB array and its copy per
     * request cost the handler ~1-2 µs here, as much as the whole difference the mesh goal allows on one core.
     */
    private static final ByteString ECHO_PAGE = ByteString.copyFrom(new byte[DsmLayout.PAGE_SIZE]);

    /** The mesh's own round trip (64 B out, a page back), to tell mesh cost from DSM cost. */
    private void echo(Frame f) {
        transport.reply(f, Frame.newBuilder().setPing(Ping.newBuilder().setPayload(ECHO_PAGE)));
    }

    MemorySegment ram() {
        return ram;
    }

    /** First page homed at node 1: the measured pages start here. */
    static long firstRemotePage() {
        return BenchLayout.PAGES_PER_NODE;
    }

    @Override
    public void close() {
        faults.close();
        io.close();
        dsm.close();
        transport.close();
        memory.close();
        Libc.munmap(ram);
    }
}
