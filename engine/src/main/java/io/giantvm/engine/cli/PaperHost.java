package io.giantvm.engine.cli;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Where and when {@code bench paper} ran, for the table's heading: the README's figures carry date and host,
 * and a load average says how much else shared the cores.
 */
record PaperHost(String name, int cores, Instant started, double loadAtStart, double loadAtEnd) {
    static PaperHost begin() {
        return new PaperHost(hostname(), Runtime.getRuntime().availableProcessors(), Instant.now(), load(), Double.NaN);
    }

    PaperHost end() {
        return new PaperHost(name, cores, started, loadAtStart, load());
    }

    String heading() {
        return String.format(Locale.ROOT, "%s on %s, %d cores, load average %.2f at the start%s",
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC).format(started), name, cores,
                loadAtStart, Double.isNaN(loadAtEnd) ? "" : String.format(Locale.ROOT, ", %.2f at the end", loadAtEnd));
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "this host";
        }
    }
}
