package io.giantvm.engine.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.giantvm.engine.mesh.v1.AccessMode;
import io.giantvm.engine.mesh.v1.DsmAccessRequest;
import io.giantvm.engine.mesh.v1.DsmConfirm;
import io.giantvm.engine.mesh.v1.DsmForward;
import io.giantvm.engine.mesh.v1.DsmGrant;
import io.giantvm.engine.mesh.v1.DsmInvalidate;
import io.giantvm.engine.mesh.v1.DsmInvalidateAck;
import io.giantvm.engine.mesh.v1.Frame;
import io.giantvm.engine.mesh.v1.Opaque;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The binary layout of the DSM's page-path frames, alone and mixed with protobuf frames on a stream. */
class DsmWireTest {
    private static final int PAGE = MeshLayout.PAGE_PAYLOAD;

    private static ByteString page(int seed) {
        byte[] b = new byte[PAGE];
        new Random(seed).nextBytes(b);
        return ByteString.copyFrom(b);
    }

    /** One frame of every DSM kind with every flag it can carry, fields at their extremes. */
    static List<Frame> everyKind() {
        long big = Long.MAX_VALUE - 5;
        List<Frame> frames = new ArrayList<>();
        for (AccessMode mode : new AccessMode[] {AccessMode.READ, AccessMode.WRITE}) {
            frames.add(Frame.newBuilder().setFrom(3).setDsmRequest(DsmAccessRequest.newBuilder().setPage(big).setMode(mode).setHaveVersion(-1L)).build());
            for (boolean data : new boolean[] {false, true}) {
                frames.add(Frame.newBuilder().setFrom(Integer.MAX_VALUE).setDsmForward(DsmForward.newBuilder().setPage(7).setTo(-1)
                        .setMode(mode).setSendData(data).setVersion(big)).build());
            }
            frames.add(Frame.newBuilder().setFrom(1).setDsmGrant(DsmGrant.newBuilder().setPage(0x12345).setMode(mode).setVersion(9)
                    .setData(page(mode.getNumber()))).build());
            frames.add(Frame.newBuilder().setFrom(1).setDsmGrant(DsmGrant.newBuilder().setPage(1).setMode(mode).setVersion(2).setZero(true)).build());
            frames.add(Frame.newBuilder().setFrom(1).setDsmGrant(DsmGrant.newBuilder().setPage(1).setMode(mode).setVersion(2).setUpgrade(true)).build());
        }
        frames.add(Frame.newBuilder().setFrom(2).setDsmInvalidate(DsmInvalidate.newBuilder().setPage(-1L).setVersion(big)).build());
        frames.add(Frame.newBuilder().setFrom(2).setDsmInvalidateAck(DsmInvalidateAck.newBuilder().setPage(42)).build());
        frames.add(Frame.newBuilder().setFrom(0).setDsmConfirm(DsmConfirm.newBuilder().setPage(42).setVersion(43)).build());
        return frames;
    }

    @Test
    void everyDsmKindTakesTheBinaryLayoutAndComesBackUnchanged() throws IOException {
        for (Frame f : everyKind()) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(MeshLayout.RDMA_BUFFER);
            int sent = FrameCodec.encode(f, buffer);

            boolean withPage = f.hasDsmGrant() && !f.getDsmGrant().getData().isEmpty();
            assertThat(sent).as("%s", f).isEqualTo(withPage ? DsmWire.HEADER + PAGE : DsmWire.HEADER);
            assertThat(buffer.get(0)).isEqualTo(DsmWire.MARK);
            assertThat(FrameCodec.frameLength(buffer, 0)).isEqualTo(sent);
            assertThat(FrameCodec.decode(buffer, sent)).isEqualTo(f);
        }
    }

    @Test
    void aReadGrantsPageStaysInTheReceiveBufferAndTravelsBesideTheFrame() throws IOException {
        ByteString data = page(5);
        Frame grant = Frame.newBuilder().setFrom(1).setDsmGrant(DsmGrant.newBuilder().setPage(3).setMode(AccessMode.READ).setVersion(1).setData(data)).build();
        byte[] bytes = stream(List.of(grant));
        assertThat(ByteString.copyFrom(bytes, DsmWire.HEADER, PAGE)).as("the raw page right behind the header").isEqualTo(data);
        FrameReader r = new FrameReader(trickle(bytes, 1 << 20), 8 << 10);

        Frame read = r.next();
        ByteBuffer view = r.page();

        assertThat(read.getDsmGrant().getData()).as("the frame itself carries no copy").isEmpty();
        assertThat(view.isDirect()).as("UFFDIO_COPY can read the page where it lies").isTrue();
        assertThat(ByteString.copyFrom(view.duplicate())).isEqualTo(data);
        Frame[] kept = new Frame[1];
        FrameHandler keeper = f -> kept[0] = f;
        keeper.onFrame(read, view);
        assertThat(kept[0]).as("a handler that keeps frames gets the page copied in").isEqualTo(grant);
        assertThat(r.next()).isNull();
        assertThat(r.page()).isNull();
    }

    @Test
    void framesTheLayoutCannotRepresentStayProtobuf() throws IOException {
        List<Frame> frames = List.of(
                Frame.newBuilder().setFrom(1).setId(5).setDsmConfirm(DsmConfirm.newBuilder().setPage(1)).build(),
                Frame.newBuilder().setFrom(1).setReplyTo(5).setDsmInvalidateAck(DsmInvalidateAck.newBuilder().setPage(1)).build(),
                Frame.newBuilder().setDsmRequest(DsmAccessRequest.newBuilder().setPage(1)).build(), // no access mode
                Frame.newBuilder().setDsmGrant(DsmGrant.newBuilder().setPage(1).setMode(AccessMode.READ).setData(ByteString.copyFromUtf8("short"))).build(),
                Frame.newBuilder().setOpaque(Opaque.newBuilder().setChannel("x").setData(page(1))).build());
        for (Frame f : frames) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(MeshLayout.RDMA_BUFFER);
            int sent = FrameCodec.encode(f, buffer);

            assertThat(sent).isEqualTo(MeshLayout.LENGTH_PREFIX + f.getSerializedSize());
            assertThat(buffer.get(0)).isNotEqualTo(DsmWire.MARK);
            assertThat(FrameCodec.decode(buffer, sent)).isEqualTo(f);
        }
    }

    private static ByteBuffer encoded(Frame f) {
        ByteBuffer b = ByteBuffer.allocate(MeshLayout.RDMA_BUFFER);
        return b.limit(FrameCodec.encode(f, b));
    }

    private static final Frame REQUEST = everyKind().get(0);
    private static final Frame GRANT_WITH_PAGE = everyKind().get(3);

    private static void refused(Frame f, UnaryOperator<ByteBuffer> damage, String message) {
        ByteBuffer damaged = damage.apply(encoded(f));
        assertThatThrownBy(() -> FrameCodec.decode(damaged, false)).isInstanceOf(IOException.class).hasMessage(message);
    }

    @Test
    void damagedOrShortFramesAreRefusedSayingWhatIsWrong() {
        refused(REQUEST, b -> b.limit(20), "DSM frame of 20 bytes is shorter than its 32-byte header");
        refused(REQUEST, b -> b.limit(2), "frame of 2 bytes is shorter than its 4-byte prefix");
        refused(REQUEST, b -> b.put(1, (byte) 9), "DSM frame of unknown kind 9");
        refused(REQUEST, b -> b.put(2, (byte) 0x11), "DSM frame of kind 1 carries flags 0x11 it cannot have");
        refused(REQUEST, b -> b.put(3, (byte) 1), "DSM frame of kind 1 has nonzero padding");
        refused(REQUEST, b -> b.putInt(24, 2), "DSM frame of kind 1 names a grantee");
        refused(GRANT_WITH_PAGE, b -> b.limit(DsmWire.HEADER + 100), "DSM frame of kind 3 is 132 bytes, its header says 4128");
        refused(GRANT_WITH_PAGE, b -> b.put(2, (byte) (b.get(2) & ~0x10)).limit(DsmWire.HEADER + PAGE),
                "DSM frame of kind 3 is 4128 bytes, its header says 32");
    }

    @Test
    void aLengthPrefixNoSenderProducesIsRefused() {
        ByteBuffer b = ByteBuffer.allocate(8).putInt(0, 0x7f000000);
        assertThatThrownBy(() -> FrameCodec.frameLength(b, 0)).isInstanceOf(IOException.class)
                .hasMessage("frame length 2130706432 is out of range (max " + MeshLayout.MAX_FRAME + ")");
    }

    /** A channel that hands out at most {@code chunk} bytes per read, as a socket may. */
    private static ReadableByteChannel trickle(byte[] bytes, int chunk) {
        ReadableByteChannel all = Channels.newChannel(new java.io.ByteArrayInputStream(bytes));
        return new ReadableByteChannel() {
            @Override
            public int read(ByteBuffer dst) throws IOException {
                ByteBuffer part = dst.slice(dst.position(), Math.min(chunk, dst.remaining()));
                int n = all.read(part);
                if (n > 0) {
                    dst.position(dst.position() + n);
                }
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {}
        };
    }

    private static byte[] stream(List<Frame> frames) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter w = new FrameWriter(Channels.newChannel(out), 8 << 10);
        for (Frame f : frames) {
            w.write(f);
        }
        return out.toByteArray();
    }

    @Test
    void aStreamOfBinaryAndProtobufFramesReadsBackInOrderHoweverTheBytesArrive() throws IOException {
        List<Frame> frames = new ArrayList<>(everyKind());
        frames.add(2, Frame.newBuilder().setFrom(1).setOpaque(Opaque.newBuilder().setData(ByteString.copyFrom(new byte[20_000]))).build());
        byte[] bytes = stream(frames);
        for (int chunk : new int[] {1, 7, 4096, 1 << 20}) {
            FrameReader r = new FrameReader(trickle(bytes, chunk), 8 << 10); // smaller than the opaque frame
            for (Frame f : frames) {
                Frame read = r.next();
                ByteBuffer page = r.page();
                assertThat(page == null ? read : DsmWire.withPage(read, page)).as("chunk %d", chunk).isEqualTo(f);
            }
            assertThat(r.next()).as("a clean end between frames").isNull();
        }
    }

    @Test
    void aStreamThatEndsInsideAFrameIsAnError() throws IOException {
        byte[] bytes = stream(List.of(REQUEST, GRANT_WITH_PAGE));
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 10);
        FrameReader r = new FrameReader(trickle(cut, 1000), 8 << 10);

        assertThat(r.next()).isEqualTo(REQUEST);
        assertThatThrownBy(r::next).isInstanceOf(EOFException.class).hasMessage("connection closed 4118 bytes into a frame");
    }
}
