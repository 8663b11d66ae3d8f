package io.giantvm.engine.dsm;

/** Little-endian longs as the guest stores them. */
final class DsmStressTestBytes {
    private DsmStressTestBytes() {}

    static byte[] of(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    static long toLong(byte[] b) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return v;
    }
}
