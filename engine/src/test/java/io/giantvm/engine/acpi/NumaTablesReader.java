package io.giantvm.engine.acpi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the SRAT and SLIT back out of built tables the way Linux finds them (RSDP -> XSDT -> signature), failing on
 * a bad checksum, a length that runs past the tables, an entry of unknown type or length, or a reserved field set.
 */
record NumaTablesReader(Map<Integer, Integer> domainOfApic, List<MemoryAffinity> memory, int[][] distances) {
    record MemoryAffinity(int domain, long base, long length, int flags) {
        long end() {
            return base + length;
        }
    }

    /** Empty when the XSDT lists neither table; fails when it lists only one of them. */
    static Optional<NumaTablesReader> read(byte[] tables, long base) {
        ByteBuffer b = ByteBuffer.wrap(tables).order(ByteOrder.LITTLE_ENDIAN);
        int xsdt = (int) (b.getLong(24) - base);
        int xsdtLength = checkedTable(b, xsdt, "XSDT");
        Integer srat = null;
        Integer slit = null;
        for (int at = xsdt + 36; at < xsdt + xsdtLength; at += 8) {
            int t = (int) (b.getLong(at) - base);
            String sig = signature(b, t);
            if (sig.equals("SRAT")) {
                srat = t;
            } else if (sig.equals("SLIT")) {
                slit = t;
            }
        }
        if (srat == null && slit == null) {
            return Optional.empty();
        }
        if (srat == null || slit == null) {
            throw new AssertionError("an SRAT without a SLIT or the reverse: srat=" + srat + " slit=" + slit);
        }
        Map<Integer, Integer> apics = new LinkedHashMap<>();
        List<MemoryAffinity> memory = new ArrayList<>();
        int sratLength = checkedTable(b, srat, "SRAT");
        if (b.get(srat + 8) != 3) {
            throw new AssertionError("SRAT revision " + b.get(srat + 8));
        }
        if (b.getInt(srat + 36) != 1 || b.getLong(srat + 40) != 0) {
            throw new AssertionError("SRAT's reserved prefix must be 1 then 8 zero bytes");
        }
        for (int at = srat + 48; at < srat + sratLength; ) {
            int type = Byte.toUnsignedInt(b.get(at));
            int length = Byte.toUnsignedInt(b.get(at + 1));
            switch (type) {
                case 0 -> {
                    expect(length == 16, "local APIC affinity length " + length);
                    expect((b.getInt(at + 4) & 1) == 1, "local APIC affinity not enabled");
                    expect(b.get(at + 8) == 0 && b.getInt(at + 12) == 0, "SAPIC EID / clock domain set");
                    int domain = Byte.toUnsignedInt(b.get(at + 2)) | Byte.toUnsignedInt(b.get(at + 9)) << 8
                            | Byte.toUnsignedInt(b.get(at + 10)) << 16 | Byte.toUnsignedInt(b.get(at + 11)) << 24;
                    Integer before = apics.put(Byte.toUnsignedInt(b.get(at + 3)), domain);
                    expect(before == null, "APIC id " + b.get(at + 3) + " twice");
                }
                case 1 -> {
                    expect(length == 40, "memory affinity length " + length);
                    expect(b.getShort(at + 6) == 0 && b.getInt(at + 24) == 0 && b.getLong(at + 32) == 0, "reserved bytes set");
                    memory.add(new MemoryAffinity(b.getInt(at + 2), b.getLong(at + 8), b.getLong(at + 16), b.getInt(at + 28)));
                }
                default -> throw new AssertionError("unexpected SRAT entry type " + type);
            }
            at += length;
            expect(at <= srat + sratLength, "an SRAT entry runs past the table");
        }
        int slitLength = checkedTable(b, slit, "SLIT");
        int n = (int) b.getLong(slit + 36);
        expect(slitLength == 36 + 8 + n * n, "SLIT length " + slitLength + " for " + n + " localities");
        int[][] d = new int[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                d[i][j] = Byte.toUnsignedInt(b.get(slit + 44 + i * n + j));
            }
        }
        return Optional.of(new NumaTablesReader(apics, memory, d));
    }

    /** The MADT's Local APIC entries in table order (Linux's CPU order): each one's APIC id, its processor uid checked = index. */
    static List<Integer> madtApicIds(byte[] tables, long base) {
        ByteBuffer b = ByteBuffer.wrap(tables).order(ByteOrder.LITTLE_ENDIAN);
        int xsdt = (int) (b.getLong(24) - base);
        int xsdtLength = checkedTable(b, xsdt, "XSDT");
        for (int at = xsdt + 36; at < xsdt + xsdtLength; at += 8) {
            int t = (int) (b.getLong(at) - base);
            if (signature(b, t).equals("APIC")) {
                List<Integer> ids = new ArrayList<>();
                int length = checkedTable(b, t, "APIC");
                for (int e = t + 44; e < t + length; e += Byte.toUnsignedInt(b.get(e + 1))) {
                    if (b.get(e) == 0) {
                        expect(Byte.toUnsignedInt(b.get(e + 2)) == ids.size(), "processor uid " + b.get(e + 2) + " out of order");
                        ids.add(Byte.toUnsignedInt(b.get(e + 3)));
                    }
                }
                return ids;
            }
        }
        throw new AssertionError("no MADT");
    }

    private static int checkedTable(ByteBuffer b, int at, String signature) {
        expect(signature(b, at).equals(signature), "expected " + signature + " at " + at + ", found " + signature(b, at));
        int length = b.getInt(at + 4);
        expect(at + length <= b.capacity(), signature + " runs past the tables");
        int sum = 0;
        for (int i = at; i < at + length; i++) {
            sum += b.get(i);
        }
        expect((sum & 0xFF) == 0, signature + " checksum");
        return length;
    }

    private static String signature(ByteBuffer b, int at) {
        byte[] s = new byte[4];
        b.get(at, s);
        return new String(s, StandardCharsets.US_ASCII);
    }

    private static void expect(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
