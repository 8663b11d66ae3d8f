package io.giantvm.engine.linux;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads sysbench 1.0's human-readable report ("General statistics" and "Latency (ms)" sections) into a
 * {@link SysbenchResult}: the host side of {@code bench sysbench}. Inside the guest init.sh extracts the
 * same fields with awk, because the guest has no JVM.
 */
public final class SysbenchOutput {
    private static final Pattern TOTAL_TIME = Pattern.compile("total time:\\s+([0-9.]+)s");
    private static final Pattern EVENTS = Pattern.compile("total number of events:\\s+([0-9]+)");
    private static final Pattern MIN = Pattern.compile("\\bmin:\\s+([0-9.]+)");
    private static final Pattern AVG = Pattern.compile("\\bavg:\\s+([0-9.]+)");
    private static final Pattern MAX = Pattern.compile("\\bmax:\\s+([0-9.]+)");
    private static final Pattern P95 = Pattern.compile("95th percentile:\\s+([0-9.]+)");

    private SysbenchOutput() {}

    /** @throws IllegalArgumentException when the text lacks the total time or the event count (sysbench failed) */
    public static SysbenchResult parse(String test, int threads, String text) {
        double seconds = number(TOTAL_TIME, text, test);
        long events = (long) number(EVENTS, text, test);
        return new SysbenchResult(test, threads, events, seconds, seconds > 0 ? events / seconds : 0,
                optional(MIN, text), optional(AVG, text), optional(MAX, text), optional(P95, text));
    }

    private static double number(Pattern p, String text, String test) {
        Matcher m = p.matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException("sysbench " + test + " printed no '" + p.pattern().split(":")[0]
                    + "' figure; its output ends: " + tail(text));
        }
        return Double.parseDouble(m.group(1));
    }

    private static double optional(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static String tail(String text) {
        String s = text.strip();
        return s.length() <= 200 ? s : "..." + s.substring(s.length() - 200);
    }
}
