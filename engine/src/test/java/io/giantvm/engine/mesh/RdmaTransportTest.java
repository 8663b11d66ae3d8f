package io.giantvm.engine.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.ibm.disni.verbs.RdmaCmEvent;
import io.giantvm.engine.dsm.DsmLayout;
import io.giantvm.engine.mesh.v1.AccessMode;
import io.giantvm.engine.mesh.v1.DsmGrant;
import io.giantvm.engine.mesh.v1.Frame;
import io.giantvm.engine.mesh.v1.Opaque;
import io.giantvm.engine.mesh.v1.Ping;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RDMA transport's pure parts everywhere, and a real two-node mesh where the host has an RDMA device (soft-RoCE
 * will do) and libdisni; elsewhere that test is skipped saying what is missing.
 */
class RdmaTransportTest {

    private static Frame largestGrant() {
        byte[] page = new byte[DsmLayout.PAGE_SIZE];
        new Random(7).nextBytes(page);
        return Frame.newBuilder().setFrom(Integer.MAX_VALUE).setId(Long.MAX_VALUE).setReplyTo(-1L)
                .setDsmGrant(DsmGrant.newBuilder().setPage(-1L).setMode(AccessMode.WRITE).setVersion(-1L)
                        .setData(ByteString.copyFrom(page)).setZero(true).setUpgrade(true))
                .build();
    }

    @Test
    void theLargestPageGrantFitsOneBufferAndComesBackIntact() throws IOException {
        assertThat(MeshLayout.PAGE_PAYLOAD).isEqualTo(DsmLayout.PAGE_SIZE);
        ByteBuffer region = ByteBuffer.allocateDirect(2 * MeshLayout.RDMA_BUFFER);
        ByteBuffer second = region.slice(MeshLayout.RDMA_BUFFER, MeshLayout.RDMA_BUFFER);
        Frame grant = largestGrant();

        int sent = FrameCodec.encode(grant, second);

        assertThat(sent).isEqualTo(MeshLayout.LENGTH_PREFIX + grant.getSerializedSize()).isLessThanOrEqualTo(MeshLayout.RDMA_BUFFER);
        assertThat(region.getInt(0)).as("the first buffer is untouched").isZero();
        assertThat(FrameCodec.decode(second, sent)).isEqualTo(grant);
    }

    @Test
    void aFrameLargerThanTheBufferIsRefusedNamingItsSize() {
        Frame big = Frame.newBuilder().setOpaque(Opaque.newBuilder().setData(ByteString.copyFrom(new byte[MeshLayout.RDMA_BUFFER]))).build();
        int size = MeshLayout.LENGTH_PREFIX + big.getSerializedSize();

        assertThatThrownBy(() -> FrameCodec.encode(big, ByteBuffer.allocateDirect(MeshLayout.RDMA_BUFFER)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("OPAQUE frame of " + size + " bytes does not fit a " + MeshLayout.RDMA_BUFFER + "-byte RDMA buffer");
    }

    @Test
    void aReceivedByteCountThatDisagreesWithTheLengthPrefixIsRefused() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(MeshLayout.RDMA_BUFFER);
        int sent = FrameCodec.encode(Frame.newBuilder().setPing(Ping.newBuilder().setPayload(ByteString.copyFromUtf8("x"))).build(), buffer);

        assertThatThrownBy(() -> FrameCodec.decode(buffer, sent + 1)).isInstanceOf(IOException.class)
                .hasMessageContaining("does not match the " + (sent + 1) + " bytes received");
        assertThatThrownBy(() -> FrameCodec.decode(buffer, 2)).isInstanceOf(IOException.class).hasMessageContaining("received 2 bytes");
    }

    @Test
    void workIdsTellSendsFromReceivesAndKeepTheirBuffer() {
        for (int slot : new int[] {0, 1, MeshLayout.RDMA_QUEUE_DEPTH - 1}) {
            assertThat(RdmaWorkId.isSend(RdmaWorkId.send(slot))).isTrue();
            assertThat(RdmaWorkId.isSend(RdmaWorkId.receive(slot))).isFalse();
            assertThat(RdmaWorkId.slot(RdmaWorkId.send(slot))).isEqualTo(slot);
            assertThat(RdmaWorkId.slot(RdmaWorkId.receive(slot))).isEqualTo(slot);
        }
    }

    @Test
    void completionsAndEventsAreNamedAsVerbsNamesThem() {
        assertThat(RdmaPeerEndpoint.statusName(5)).isEqualTo("IBV_WC_WR_FLUSH_ERR");
        assertThat(RdmaPeerEndpoint.statusName(12)).isEqualTo("IBV_WC_RETRY_EXC_ERR");
        assertThat(RdmaPeerEndpoint.statusName(99)).isEqualTo("status 99");
        assertThat(RdmaPeerEndpoint.eventName(RdmaCmEvent.EventType.RDMA_CM_EVENT_CONNECT_ERROR)).isEqualTo("connect error");
    }

    @Test
    void preflightNamesBothFactsInOneLine() {
        RdmaPreflight.Fact noDevice = new RdmaPreflight.Fact(false, "/sys/class/infiniband is empty");
        RdmaPreflight.Fact noLibrary = new RdmaPreflight.Fact(false, "no libdisni.so on java.library.path=/usr/lib");
        RdmaPreflight.Fact device = new RdmaPreflight.Fact(true, "rxe0");
        RdmaPreflight.Fact library = new RdmaPreflight.Fact(true, "/usr/lib/libdisni.so");

        assertThat(RdmaPreflight.problem(device, library)).isNull();
        assertThat(RdmaPreflight.problem(noDevice, noLibrary)).isEqualTo("transport rdma needs an RDMA device and libdisni:"
                + " RDMA device: no (/sys/class/infiniband is empty), libdisni: no (no libdisni.so on java.library.path=/usr/lib)");
        assertThat(RdmaPreflight.problem(device, noLibrary)).contains("RDMA device: yes (rxe0), libdisni: no (");
        assertThat(RdmaPreflight.problem(noDevice, library)).contains("RDMA device: no (").contains("libdisni: yes (/usr/lib/libdisni.so)");
    }

    @Test
    void preflightSeesDevicesInTheDirectoryItIsGiven(@TempDir Path sys) throws IOException {
        Path devices = sys.resolve("infiniband");
        assertThat(RdmaPreflight.device(devices)).isEqualTo(new RdmaPreflight.Fact(false, devices + " does not exist"));
        Files.createDirectory(devices);
        assertThat(RdmaPreflight.device(devices)).isEqualTo(new RdmaPreflight.Fact(false, devices + " is empty"));
        Files.createDirectory(devices.resolve("rxe0"));
        Files.createDirectory(devices.resolve("mlx5_0"));
        assertThat(RdmaPreflight.device(devices)).isEqualTo(new RdmaPreflight.Fact(true, "mlx5_0, rxe0"));
    }

    @Test
    void preflightFindsTheLibraryOnThePathAndReportsWhyItDoesNotLoad(@TempDir Path lib) throws IOException {
        String path = "/nonexistent" + java.io.File.pathSeparator + lib;
        assertThat(RdmaPreflight.library(path, () -> { }))
                .isEqualTo(new RdmaPreflight.Fact(false, "no libdisni.so on java.library.path=" + path));
        Path so = Files.createFile(lib.resolve("libdisni.so"));
        assertThat(RdmaPreflight.library(path, () -> { throw new UnsatisfiedLinkError("libibverbs.so.1: cannot open shared object file"); }))
                .isEqualTo(new RdmaPreflight.Fact(false, so + " does not load: libibverbs.so.1: cannot open shared object file"));
        assertThat(RdmaPreflight.library(path, () -> { })).isEqualTo(new RdmaPreflight.Fact(true, so.toString()));
    }

    /** The first IPv4 address of the network interface under the first RDMA device (rxe: ndevs, HCA: device/net). */
    private static InetAddress firstRdmaAddress() throws IOException {
        try (var devices = Files.list(RdmaPreflight.DEVICES)) {
            for (Path dev : devices.sorted().toList()) {
                List<String> netdevs = new ArrayList<>();
                Path ndev = dev.resolve("ports/1/gid_attrs/ndevs/0");
                if (Files.isReadable(ndev)) {
                    netdevs.add(Files.readString(ndev).trim());
                }
                if (Files.isDirectory(dev.resolve("device/net"))) {
                    try (var nets = Files.list(dev.resolve("device/net"))) {
                        nets.forEach(n -> netdevs.add(n.getFileName().toString()));
                    }
                }
                for (String name : netdevs) {
                    InetAddress a = ipv4Of(name);
                    if (a != null) {
                        return a;
                    }
                }
            }
        }
        return null;
    }

    private static InetAddress ipv4Of(String interfaceName) throws SocketException {
        NetworkInterface nif = NetworkInterface.getByName(interfaceName);
        return nif == null ? null : nif.inetAddresses().filter(a -> a instanceof Inet4Address).findFirst().orElse(null);
    }

    private static void skipUnless(String problem) {
        if (problem != null) {
            System.out.println("SKIPPED RdmaTransportTest: " + problem);
        }
        Assumptions.assumeTrue(problem == null, problem);
    }

    @Test
    void twoNodesOverTheFirstRdmaDeviceExchangeRequestsAndSeeThePeerGoDown() throws Exception {
        skipUnless(RdmaPreflight.hostProblem());
        InetAddress ip = firstRdmaAddress();
        skipUnless(ip == null ? "no IPv4 address on the network interface of any RDMA device" : null);

        List<MeshAddress> addresses = new ArrayList<>();
        for (MeshAddress a : LoopbackMesh.addresses(2)) {
            addresses.add(new MeshAddress(a.node(), ip.getHostAddress(), a.port()));
        }
        List<RdmaTransport> ts = List.of(RdmaTransport.open(0, addresses, "test"), RdmaTransport.open(1, addresses, "test"));
        BlockingQueue<Frame> inbox = new LinkedBlockingQueue<>();
        BlockingQueue<Integer> down = new LinkedBlockingQueue<>();
        ts.get(0).setHandler(inbox::add);
        ts.get(0).addPeerDownListener(down::add);
        ts.get(1).setHandler(f -> {
            if (f.getId() != 0 && f.getBodyCase() == Frame.BodyCase.PING) {
                ts.get(1).reply(f, Frame.newBuilder().setPing(f.getPing()));
            }
        });
        try {
            // node 1 dials first, before node 0 listens: exercises the retries on a rejected connection
            CompletableFuture<Void> dialer = TcpTransportTest.startInThread(ts.get(1), Duration.ofSeconds(20));
            Thread.sleep(300);
            CompletableFuture<Void> listener = TcpTransportTest.startInThread(ts.get(0), Duration.ofSeconds(20));
            CompletableFuture.allOf(dialer, listener).get(30, TimeUnit.SECONDS);

            // more requests in flight than there are buffers: senders wait for completions, nothing is lost
            byte[] page = new byte[DsmLayout.PAGE_SIZE];
            new Random(3).nextBytes(page);
            List<CompletableFuture<Frame>> replies = new ArrayList<>();
            for (int k = 0; k < 4 * MeshLayout.RDMA_QUEUE_DEPTH; k++) {
                replies.add(ts.get(0).request(1, Frame.newBuilder().setPing(Ping.newBuilder().setPayload(ByteString.copyFrom(page))), Duration.ofSeconds(10)));
            }
            for (CompletableFuture<Frame> r : replies) {
                assertThat(r.get(10, TimeUnit.SECONDS).getPing().getPayload().toByteArray()).isEqualTo(page);
            }

            ts.get(1).send(0, Frame.newBuilder().setOpaque(Opaque.newBuilder().setChannel("t").setData(ByteString.copyFromUtf8("1>0"))));
            Frame oneWay = inbox.poll(5, TimeUnit.SECONDS);
            assertThat(oneWay).isNotNull();
            assertThat(oneWay.getFrom()).isEqualTo(1);
            assertThat(oneWay.getOpaque().getData().toStringUtf8()).isEqualTo("1>0");

            assertThatThrownBy(() -> ts.get(0).send(1, Frame.newBuilder().setOpaque(Opaque.newBuilder()
                    .setData(ByteString.copyFrom(new byte[MeshLayout.RDMA_BUFFER])))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit");

            ts.get(1).setHandler(f -> { }); // the request below stays unanswered until node 1 goes away
            CompletableFuture<Frame> waiting = ts.get(0).request(1, Frame.newBuilder().setOpaque(Opaque.getDefaultInstance()), Duration.ofSeconds(30));
            ts.get(1).close();
            assertThat(down.poll(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThatThrownBy(() -> waiting.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(PeerDownException.class).hasMessageContaining("node 1 is down");
        } finally {
            ts.forEach(RdmaTransport::close);
        }
    }
}
