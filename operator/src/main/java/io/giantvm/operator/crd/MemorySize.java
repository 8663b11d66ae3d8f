package io.giantvm.operator.crd;

import java.math.BigInteger;
import java.util.regex.Matcher;

/**
 * Guest RAM sizes: a subset of Kubernetes quantities that the engine's VM description also accepts
 * (whole bytes; Ki Mi Gi Ti are 1024-based, k K M G T 1000-based; Kubernetes spells kilo "k", the
 * engine "K", both are taken).
 */
public final class MemorySize {
    private MemorySize() {}

    public static final String PATTERN = "^[1-9][0-9]{0,15}(Ki|Mi|Gi|Ti|k|K|M|G|T)?$";
    private static final java.util.regex.Pattern COMPILED = java.util.regex.Pattern.compile(PATTERN);
    private static final long KI = 1024;

    /** Bytes of {@code text}; a one-line message naming the value when it is not a size. */
    public static long parseBytes(String text) {
        if (text == null) {
            throw new IllegalArgumentException("memory is missing");
        }
        Matcher m = COMPILED.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("memory '" + text
                    + "' is not a whole number of bytes with an optional suffix Ki Mi Gi Ti k K M G T");
        }
        String suffix = m.group(1) == null ? "" : m.group(1);
        String digits = text.strip().substring(0, text.strip().length() - suffix.length());
        BigInteger bytes = new BigInteger(digits).multiply(BigInteger.valueOf(multiplier(suffix)));
        if (bytes.bitLength() > 62) {
            throw new IllegalArgumentException("memory '" + text + "' is too large");
        }
        return bytes.longValueExact();
    }

    private static long multiplier(String suffix) {
        return switch (suffix) {
            case "" -> 1;
            case "Ki" -> KI;
            case "Mi" -> KI * KI;
            case "Gi" -> KI * KI * KI;
            case "Ti" -> KI * KI * KI * KI;
            case "k", "K" -> 1_000;
            case "M" -> 1_000_000;
            case "G" -> 1_000_000_000;
            case "T" -> 1_000_000_000_000L;
            default -> throw new IllegalStateException("pattern admitted suffix " + suffix);
        };
    }

    /** The shortest exact binary spelling (256Mi, 1Gi) or plain bytes; the engine parses all of them. */
    public static String format(long bytes) {
        String[] suffixes = {"Ti", "Gi", "Mi", "Ki"};
        long[] units = {KI * KI * KI * KI, KI * KI * KI, KI * KI, KI};
        for (int i = 0; i < units.length; i++) {
            if (bytes >= units[i] && bytes % units[i] == 0) {
                return (bytes / units[i]) + suffixes[i];
            }
        }
        return Long.toString(bytes);
    }
}
