package io.giantvm.engine.mesh;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.giantvm.engine.mesh.v1.Frame;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Frames as bytes: 4-byte big-endian length, then the protobuf bytes, no padding; on a stream (TCP) or at the
 * start of a buffer that holds one frame (RDMA, where the length checks the received byte count).
 */
final class FrameCodec {
    private FrameCodec() {}

    static void write(DataOutputStream out, Frame frame) throws IOException {
        byte[] bytes = frame.toByteArray();
        out.writeInt(bytes.length);
        out.write(bytes);
        out.flush();
    }

    /** Null on a clean end of stream between frames. */
    static Frame read(DataInputStream in) throws IOException {
        int length;
        try {
            length = in.readInt();
        } catch (EOFException e) {
            return null;
        }
        if (length < 0 || length > MeshLayout.MAX_FRAME) {
            throw new IOException("frame length " + length + " is out of range (max " + MeshLayout.MAX_FRAME + ")");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        // The array is this frame's alone, so a page in it can be aliased instead of copied once more.
        CodedInputStream coded = CodedInputStream.newInstance(bytes);
        coded.enableAliasing(true);
        Frame frame = Frame.parseFrom(coded);
        coded.checkLastTagWas(0);
        return frame;
    }

    /**
     * Writes {@code frame} at the start of {@code buffer} and returns how many bytes to send. A frame that does not
     * fit is a bug in whoever built it (frames are at most a page plus headroom), not a network condition.
     */
    static int encode(Frame frame, ByteBuffer buffer) {
        int size = frame.getSerializedSize();
        int total = MeshLayout.LENGTH_PREFIX + size;
        if (total > buffer.capacity()) {
            throw new IllegalArgumentException(frame.getBodyCase() + " frame of " + total + " bytes does not fit a "
                    + buffer.capacity() + "-byte RDMA buffer");
        }
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

    /** Reads the frame that {@link #encode} wrote into {@code buffer}, of which {@code received} bytes arrived. */
    static Frame decode(ByteBuffer buffer, int received) throws IOException {
        if (received < MeshLayout.LENGTH_PREFIX || received > buffer.capacity()) {
            throw new IOException("received " + received + " bytes into a " + buffer.capacity() + "-byte buffer");
        }
        int length = buffer.getInt(0);
        if (length != received - MeshLayout.LENGTH_PREFIX) {
            throw new IOException("frame length " + length + " does not match the " + received + " bytes received");
        }
        return Frame.parseFrom(buffer.slice(MeshLayout.LENGTH_PREFIX, length));
    }
}
