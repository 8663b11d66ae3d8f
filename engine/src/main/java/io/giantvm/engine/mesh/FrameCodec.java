package io.giantvm.engine.mesh;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.giantvm.engine.mesh.v1.Frame;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Frames as bytes, the same on a TCP stream and in an RDMA buffer. A DSM page-path frame takes the fixed binary
 * layout of {@link DsmWire} (its first byte is {@link DsmWire#MARK}); every other frame is a 4-byte big-endian
 * length, then the protobuf bytes, no padding. The first four bytes of any frame tell which and how long it is.
 */
final class FrameCodec {
    private FrameCodec() {}

    /** Bytes {@link #encode} writes for {@code frame}. */
    static int size(Frame frame) {
        return DsmWire.fits(frame) ? DsmWire.size(frame) : MeshLayout.LENGTH_PREFIX + frame.getSerializedSize();
    }

    /**
     * The whole length of the frame that starts at {@code at} in {@code buffer}, of which at least
     * {@link MeshLayout#LENGTH_PREFIX} bytes are there. Throws on a length no sender produces.
     */
    static int frameLength(ByteBuffer buffer, int at) throws IOException {
        if (buffer.get(at) == DsmWire.MARK) {
            return DsmWire.frameLength(buffer, at);
        }
        int length = buffer.getInt(at);
        if (length < 0 || length > MeshLayout.MAX_FRAME) {
            throw new IOException("frame length " + length + " is out of range (max " + MeshLayout.MAX_FRAME + ")");
        }
        return MeshLayout.LENGTH_PREFIX + length;
    }

    /**
     * Writes {@code frame} at the start of {@code buffer} and returns how many bytes to send. A frame that does not
     * fit is a bug in whoever built it (frames are at most a page plus headroom), not a network condition.
     */
    static int encode(Frame frame, ByteBuffer buffer) {
        int total = size(frame);
        if (total > buffer.capacity()) {
            throw new IllegalArgumentException(frame.getBodyCase() + " frame of " + total + " bytes does not fit a "
                    + buffer.capacity() + "-byte RDMA buffer");
        }
        if (DsmWire.fits(frame)) {
            DsmWire.encode(frame, buffer, 0);
            return total;
        }
        int size = total - MeshLayout.LENGTH_PREFIX;
        buffer.putInt(0, size);
        CodedOutputStream out = CodedOutputStream.newInstance(buffer.slice(MeshLayout.LENGTH_PREFIX, size));
        try {
            frame.writeTo(out);
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException("a frame of " + size + " bytes did not fit the " + size + " bytes it measured", e);
        }
        return total;
    }

    /**
     * Reads the one frame that {@code frame} holds from its position to its limit; every field is copied out of it.
     * With {@code pageApart} a binary DSM grant's page is left where it is ({@link DsmWire#decode}).
     */
    static Frame decode(ByteBuffer frame, boolean pageApart) throws IOException {
        if (frame.remaining() < MeshLayout.LENGTH_PREFIX) {
            throw new IOException("frame of " + frame.remaining() + " bytes is shorter than its " + MeshLayout.LENGTH_PREFIX + "-byte prefix");
        }
        if (frame.get(frame.position()) == DsmWire.MARK) {
            return DsmWire.decode(frame, pageApart);
        }
        int length = frame.getInt(frame.position());
        if (length != frame.remaining() - MeshLayout.LENGTH_PREFIX) {
            throw new IOException("frame length " + length + " does not match the " + frame.remaining() + " bytes received");
        }
        CodedInputStream coded = CodedInputStream.newInstance(frame.slice(frame.position() + MeshLayout.LENGTH_PREFIX, length));
        Frame f = Frame.parseFrom(coded);
        coded.checkLastTagWas(0);
        return f;
    }

    /**
     * Reads the frame that {@link #encode} wrote into an RDMA buffer, of which {@code received} bytes arrived. The
     * buffer is posted again right after, so nothing of the frame may point into it.
     */
    static Frame decode(ByteBuffer buffer, int received) throws IOException {
        if (received < MeshLayout.LENGTH_PREFIX || received > buffer.capacity()) {
            throw new IOException("received " + received + " bytes into a " + buffer.capacity() + "-byte buffer");
        }
        return decode(buffer.slice(0, received), false);
    }
}
