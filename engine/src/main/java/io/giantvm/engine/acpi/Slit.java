package io.giantvm.engine.acpi;

import io.giantvm.engine.numa.NumaTopology;

import java.nio.ByteBuffer;

/**
 * The System Locality Information Table (ACPI 6.5 §5.2.17): an N x N matrix of relative distances between
 * proximity domains, 10 on the diagonal (see {@code numa/SlitDistance} for where the others come from).
 */
final class Slit {
    static final int REVISION = 1;

    private Slit() {}

    static byte[] table(NumaTopology numa) {
        int n = numa.domains().size();
        SdtWriter w = new SdtWriter("SLIT", REVISION, SdtWriter.HEADER_BYTES + 8 + n * n);
        ByteBuffer b = w.body();
        b.putLong(n);
        for (int from = 0; from < n; from++) {
            for (int to = 0; to < n; to++) {
                b.put((byte) numa.distance(from, to));
            }
        }
        return w.finish();
    }
}
