package io.giantvm.engine.mesh;

import com.google.protobuf.ByteString;
import io.giantvm.engine.mesh.v1.AccessMode;
import io.giantvm.engine.mesh.v1.DsmAccessRequest;
import io.giantvm.engine.mesh.v1.DsmConfirm;
import io.giantvm.engine.mesh.v1.DsmForward;
import io.giantvm.engine.mesh.v1.DsmGrant;
import io.giantvm.engine.mesh.v1.DsmInvalidate;
import io.giantvm.engine.mesh.v1.DsmInvalidateAck;
import io.giantvm.engine.mesh.v1.Frame;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The DSM's page-path messages on a fixed binary layout instead of protobuf: a 32-byte header and, on a grant
 * with data, the raw 4 KiB page right behind it. No varints and no length-delimited field to copy the page
 * through: the sender copies the page from its frame straight into the connection's send buffer, the receiver
 * hands the grant a view of its receive buffer, and UFFDIO_COPY reads the page from there.
 *
 * <pre>
 *  offset size  field
 *   0      1    MARK 0xD5: a protobuf frame's 4-byte length prefix starts with 0x00 or 0x01 (at most 16 MiB)
 *   1      1    kind: 1 request, 2 forward, 3 grant, 4 invalidate, 5 invalidate ack, 6 confirm
 *   2      1    flags: 0x01 write access, 0x02 zero, 0x04 upgrade, 0x08 send data, 0x10 a page follows
 *   3      1    0
 *   4      4    from (node id)
 *   8      8    page
 *  16      8    version (on a request: the version of the requester's copy)
 *  24      4    to (a forward's grantee; else 0)
 *  28      4    0
 *  32   4096    the page (a grant with data only)
 * </pre>
 * Big-endian, as the length prefix. Only frames that this layout represents exactly take it ({@link #fits}); any
 * other frame, DSM or not, stays protobuf, so every frame comes back as it was sent.
 */
final class DsmWire {
    private DsmWire() {}

    static final byte MARK = (byte) 0xD5;
    static final int HEADER = 32;
    static final int PAGE = MeshLayout.PAGE_PAYLOAD;

    private static final int KIND_REQUEST = 1;
    private static final int KIND_FORWARD = 2;
    private static final int KIND_GRANT = 3;
    private static final int KIND_INVALIDATE = 4;
    private static final int KIND_INVALIDATE_ACK = 5;
    private static final int KIND_CONFIRM = 6;

    private static final int WRITE = 0x01;
    private static final int ZERO = 0x02;
    private static final int UPGRADE = 0x04;
    private static final int SEND_DATA = 0x08;
    private static final int PAGE_FOLLOWS = 0x10;
    /** The flags each kind may carry; anything else in a received header is corruption. */
    private static final int[] ALLOWED = {0, WRITE, WRITE | SEND_DATA, WRITE | ZERO | UPGRADE | PAGE_FOLLOWS, 0, 0, 0};

    private static final int OFF_KIND = 1;
    private static final int OFF_FLAGS = 2;
    private static final int OFF_PAD0 = 3;
    private static final int OFF_FROM = 4;
    private static final int OFF_PAGE = 8;
    private static final int OFF_VERSION = 16;
    private static final int OFF_TO = 24;
    private static final int OFF_PAD1 = 28;

    /** Whether {@code frame} takes this layout and comes back from it unchanged. */
    static boolean fits(Frame frame) {
        if (frame.getId() != 0 || frame.getReplyTo() != 0) {
            return false; // DSM steps are one-way; a request or reply keeps protobuf
        }
        return switch (frame.getBodyCase()) {
            case DSM_REQUEST -> hasMode(frame.getDsmRequest().getMode());
            case DSM_FORWARD -> hasMode(frame.getDsmForward().getMode());
            case DSM_GRANT -> hasMode(frame.getDsmGrant().getMode())
                    && (frame.getDsmGrant().getData().isEmpty() || frame.getDsmGrant().getData().size() == PAGE);
            case DSM_INVALIDATE, DSM_INVALIDATE_ACK, DSM_CONFIRM -> true;
            default -> false;
        };
    }

    private static boolean hasMode(AccessMode mode) {
        return mode == AccessMode.READ || mode == AccessMode.WRITE;
    }

    /** Bytes {@link #encode} writes for a frame that {@link #fits}. */
    static int size(Frame frame) {
        return frame.getBodyCase() == Frame.BodyCase.DSM_GRANT && !frame.getDsmGrant().getData().isEmpty() ? HEADER + PAGE : HEADER;
    }

    /** The length of the frame whose header starts at {@code at}, from its flags byte (at least 4 bytes present). */
    static int frameLength(ByteBuffer buffer, int at) {
        return (buffer.get(at + OFF_FLAGS) & PAGE_FOLLOWS) != 0 ? HEADER + PAGE : HEADER;
    }

    /** Writes a frame that {@link #fits} at {@code at} in {@code buffer}, which has room for {@link #size} bytes. */
    static void encode(Frame frame, ByteBuffer buffer, int at) {
        int kind;
        int flags = 0;
        long page;
        long version = 0;
        int to = 0;
        ByteString data = ByteString.EMPTY;
        switch (frame.getBodyCase()) {
            case DSM_REQUEST -> {
                DsmAccessRequest r = frame.getDsmRequest();
                kind = KIND_REQUEST;
                flags = write(r.getMode());
                page = r.getPage();
                version = r.getHaveVersion();
            }
            case DSM_FORWARD -> {
                DsmForward f = frame.getDsmForward();
                kind = KIND_FORWARD;
                flags = write(f.getMode()) | (f.getSendData() ? SEND_DATA : 0);
                page = f.getPage();
                version = f.getVersion();
                to = f.getTo();
            }
            case DSM_GRANT -> {
                DsmGrant g = frame.getDsmGrant();
                kind = KIND_GRANT;
                data = g.getData();
                flags = write(g.getMode()) | (g.getZero() ? ZERO : 0) | (g.getUpgrade() ? UPGRADE : 0) | (data.isEmpty() ? 0 : PAGE_FOLLOWS);
                page = g.getPage();
                version = g.getVersion();
            }
            case DSM_INVALIDATE -> {
                kind = KIND_INVALIDATE;
                page = frame.getDsmInvalidate().getPage();
                version = frame.getDsmInvalidate().getVersion();
            }
            case DSM_INVALIDATE_ACK -> {
                kind = KIND_INVALIDATE_ACK;
                page = frame.getDsmInvalidateAck().getPage();
            }
            case DSM_CONFIRM -> {
                kind = KIND_CONFIRM;
                page = frame.getDsmConfirm().getPage();
                version = frame.getDsmConfirm().getVersion();
            }
            default -> throw new IllegalArgumentException(frame.getBodyCase() + " frame has no binary DSM layout");
        }
        buffer.put(at, MARK);
        buffer.put(at + OFF_KIND, (byte) kind);
        buffer.put(at + OFF_FLAGS, (byte) flags);
        buffer.put(at + OFF_PAD0, (byte) 0);
        buffer.putInt(at + OFF_FROM, frame.getFrom());
        buffer.putLong(at + OFF_PAGE, page);
        buffer.putLong(at + OFF_VERSION, version);
        buffer.putInt(at + OFF_TO, to);
        buffer.putInt(at + OFF_PAD1, 0);
        if (!data.isEmpty()) {
            data.copyTo(buffer.slice(at + HEADER, PAGE)); // the page goes from the frame into the send buffer, once
        }
    }

    /** The page that follows the header of the binary frame {@code frame} holds, as a view; null if none does. */
    static ByteBuffer page(ByteBuffer frame) {
        int at = frame.position();
        return frame.get(at) == MARK && frame.remaining() == HEADER + PAGE ? frame.slice(at + HEADER, PAGE) : null;
    }

    /** {@code grant} with {@code page} (a view) copied into it: for handlers that keep frames. */
    static Frame withPage(Frame grant, ByteBuffer page) {
        if (grant.getBodyCase() != Frame.BodyCase.DSM_GRANT || !grant.getDsmGrant().getData().isEmpty()) {
            throw new IllegalArgumentException("a page travels apart only from a DSM grant without data, not " + grant.getBodyCase());
        }
        return grant.toBuilder().setDsmGrant(grant.getDsmGrant().toBuilder().setData(ByteString.copyFrom(page.duplicate()))).build();
    }

    private static int write(AccessMode mode) {
        return mode == AccessMode.WRITE ? WRITE : 0;
    }

    /**
     * Reads the frame that {@code frame} holds whole (its limit is the frame's end). With {@code pageApart} a grant's
     * page is left out of the returned frame and stays where it is, for {@link #page} to hand over as a view
     * (protobuf 4 copies any direct buffer it is given, so a page inside a frame is always a copy); otherwise it is
     * copied into the frame.
     */
    static Frame decode(ByteBuffer frame, boolean pageApart) throws IOException {
        int length = frame.remaining();
        int at = frame.position();
        if (length < HEADER) {
            throw new IOException("DSM frame of " + length + " bytes is shorter than its " + HEADER + "-byte header");
        }
        if (frame.get(at) != MARK) {
            throw new IOException(String.format("DSM frame starts with 0x%02x, not the mark 0x%02x", frame.get(at) & 0xff, MARK & 0xff));
        }
        int kind = frame.get(at + OFF_KIND);
        int flags = frame.get(at + OFF_FLAGS) & 0xff;
        if (kind < KIND_REQUEST || kind > KIND_CONFIRM) {
            throw new IOException("DSM frame of unknown kind " + kind);
        }
        if ((flags & ~ALLOWED[kind]) != 0) {
            throw new IOException(String.format("DSM frame of kind %d carries flags 0x%02x it cannot have", kind, flags));
        }
        if (frame.get(at + OFF_PAD0) != 0 || frame.getInt(at + OFF_PAD1) != 0) {
            throw new IOException("DSM frame of kind " + kind + " has nonzero padding");
        }
        int expected = (flags & PAGE_FOLLOWS) != 0 ? HEADER + PAGE : HEADER;
        if (length != expected) {
            throw new IOException("DSM frame of kind " + kind + " is " + length + " bytes, its header says " + expected);
        }
        int to = frame.getInt(at + OFF_TO);
        if (to != 0 && kind != KIND_FORWARD) {
            throw new IOException("DSM frame of kind " + kind + " names a grantee");
        }
        long page = frame.getLong(at + OFF_PAGE);
        long version = frame.getLong(at + OFF_VERSION);
        AccessMode mode = (flags & WRITE) != 0 ? AccessMode.WRITE : AccessMode.READ;
        Frame.Builder f = Frame.newBuilder().setFrom(frame.getInt(at + OFF_FROM));
        switch (kind) {
            case KIND_REQUEST -> f.setDsmRequest(DsmAccessRequest.newBuilder().setPage(page).setMode(mode).setHaveVersion(version));
            case KIND_FORWARD -> f.setDsmForward(DsmForward.newBuilder().setPage(page).setTo(to).setMode(mode)
                    .setSendData((flags & SEND_DATA) != 0).setVersion(version));
            case KIND_GRANT -> {
                DsmGrant.Builder g = DsmGrant.newBuilder().setPage(page).setMode(mode).setVersion(version)
                        .setZero((flags & ZERO) != 0).setUpgrade((flags & UPGRADE) != 0);
                if ((flags & PAGE_FOLLOWS) != 0 && !pageApart) {
                    g.setData(ByteString.copyFrom(frame.slice(at + HEADER, PAGE)));
                }
                f.setDsmGrant(g);
            }
            case KIND_INVALIDATE -> f.setDsmInvalidate(DsmInvalidate.newBuilder().setPage(page).setVersion(version));
            case KIND_INVALIDATE_ACK -> f.setDsmInvalidateAck(DsmInvalidateAck.newBuilder().setPage(page));
            default -> f.setDsmConfirm(DsmConfirm.newBuilder().setPage(page).setVersion(version));
        }
        return f.build();
    }
}
