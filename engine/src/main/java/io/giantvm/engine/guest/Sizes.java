package io.giantvm.engine.guest;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte sizes as users write them: a decimal number with an optional K, M or G suffix (1024-based). */
public final class Sizes {
    private Sizes() {}

    private static final Pattern SIZE = Pattern.compile("([0-9]{1,19})([KkMmGg]?)");

    /**
     * Parses {@code text} for the option named {@code option} (used in the message).
     *
     * @throws InvalidWorkloadSpecException if it is not a size or does not fit in a long
     */
    public static long parse(String option, String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            throw new InvalidWorkloadSpecException("--" + option + ": '" + text
                    + "' is not a size (expected a number with an optional K, M or G suffix, e.g. 64K)");
        }
        int shift = switch (m.group(2).toUpperCase()) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            default -> 0;
        };
        try {
            long n = Long.parseLong(m.group(1));
            if (n > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new InvalidWorkloadSpecException("--" + option + ": '" + text + "' is too large");
        }
    }

    /** The shortest exact spelling of a size, e.g. 65536 -> "64K", 1000 -> "1000". */
    public static String format(long bytes) {
        String[] suffixes = {"G", "M", "K"};
        int[] shifts = {30, 20, 10};
        for (int i = 0; i < shifts.length; i++) {
            long unit = 1L << shifts[i];
            if (bytes != 0 && bytes % unit == 0) {
                return (bytes / unit) + suffixes[i];
            }
        }
        return Long.toString(bytes);
    }
}
