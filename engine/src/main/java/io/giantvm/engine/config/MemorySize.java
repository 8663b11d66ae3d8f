package io.giantvm.engine.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte sizes as the VM description writes them: a plain integer, or with Ki Mi Gi (1024) or K M G (1000). */
public final class MemorySize {
    private MemorySize() {}

    private static final Pattern SIZE = Pattern.compile("([0-9]+)(Ki|Mi|Gi|K|M|G)?");

    /** Null when {@code text} is not a size. */
    public static Long parse(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        long unit = switch (m.group(2) == null ? "" : m.group(2)) {
            case "Ki" -> 1L << 10;
            case "Mi" -> 1L << 20;
            case "Gi" -> 1L << 30;
            case "K" -> 1_000L;
            case "M" -> 1_000_000L;
            case "G" -> 1_000_000_000L;
            default -> 1L;
        };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
        } catch (ArithmeticException | NumberFormatException e) {
            return null; // too large for a long: not a size we can map
        }
    }

    /** The shortest exact form: {@code 256Mi}, {@code 3Gi}, or plain bytes. */
    public static String format(long bytes) {
        if (bytes > 0 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + "Gi";
        }
        if (bytes > 0 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + "Mi";
        }
        if (bytes > 0 && bytes % (1L << 10) == 0) {
            return (bytes >> 10) + "Ki";
        }
        return Long.toString(bytes);
    }
}
