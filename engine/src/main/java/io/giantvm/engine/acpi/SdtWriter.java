package io.giantvm.engine.acpi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One ACPI system description table being written: the 36-byte common header (ACPI 6.5 §5.2.6),
 * then the body; {@link #finish} fills in the length and the checksum that makes all bytes sum to 0.
 */
final class SdtWriter {
    static final int HEADER_BYTES = 36;
    static final int LENGTH = 4;
    static final int CHECKSUM = 9;
    static final String OEM_ID = "GIANTV";
    static final String OEM_TABLE_ID = "GIANTVM ";
    static final String CREATOR_ID = "GVMJ";

    private final ByteBuffer buffer;

    SdtWriter(String signature, int revision, int capacity) {
        buffer = ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(ascii(signature, 4)).putInt(0).put((byte) revision).put((byte) 0)
                .put(ascii(OEM_ID, 6)).put(ascii(OEM_TABLE_ID, 8)).putInt(1)
                .put(ascii(CREATOR_ID, 4)).putInt(1);
    }

    ByteBuffer body() {
        return buffer;
    }

    /** The table: length and checksum set. */
    byte[] finish() {
        int length = buffer.position();
        buffer.putInt(LENGTH, length);
        byte[] table = new byte[length];
        buffer.get(0, table);
        table[CHECKSUM] = checksumFor(table, 0, length);
        return table;
    }

    /** The byte that makes {@code bytes[from, from+length)} sum to 0 modulo 256, its own slot counted as 0. */
    static byte checksumFor(byte[] bytes, int from, int length) {
        int sum = 0;
        for (int i = from; i < from + length; i++) {
            sum += bytes[i];
        }
        return (byte) -sum;
    }

    static byte[] ascii(String s, int width) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        if (b.length != width) {
            throw new IllegalArgumentException("'" + s + "' is not " + width + " ASCII characters");
        }
        return b;
    }
}
