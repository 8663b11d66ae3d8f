package io.giantvm.engine.mesh;

import io.giantvm.engine.mesh.v1.Frame;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;

/** Frames on a byte stream: 4-byte big-endian length, then the protobuf bytes. No padding. */
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
        return Frame.parseFrom(bytes);
    }
}
