package io.giantvm.engine.numa;

import java.util.Locale;

/**
 * The ACPI SLIT distance between two different engine nodes, and the figures it came from.
 *
 * <p>ACPI distances are relative to 10 for a domain's own memory. Remote = 10 x (remote fault latency / local
 * access cost), both measured by the boot node at start ({@link SlitProbe}) as the same event: a first-touch read
 * fault through the running DSM on a page nobody has touched yet. The local cost is such a fault on a page homed
 * here (userfaultfd, resolved without the network: what first touching a page homed here costs), the remote one on
 * a page homed on another node (the same plus one mesh round trip to its home, which grants it without data because
 * nobody wrote it). That is what a guest pays for a fresh page Linux allocated on the wrong node. Both are
 * per-4-KiB-page costs of the same mechanism, so their ratio says how much more a page homed elsewhere costs;
 * against a plain DRAM access (~0.1 µs) every remote fault would be 1000x and the distance always the cap,
 * telling Linux nothing more than "far". A page another node has written costs a little more (its 4 KiB travel
 * too: a few µs on loopback, ~3.3 µs at 10 Gb/s), which this leaves out.
 *
 * <p>Bounds: at least 11 (Linux's {@code slit_valid()} rejects a whole SLIT whose off-diagonal entry is not
 * above 10), at most 254 (255 means "unreachable").
 *
 * @param remote             the distance written for every pair of different domains
 * @param remoteFaultMicros  the remote fault latency it came from
 * @param localAccessMicros  the local access cost it came from
 * @param source             where those figures came from
 */
public record SlitDistance(int remote, double remoteFaultMicros, double localAccessMicros, String source) {
    public static final int LOCAL = 10;
    public static final int MIN_REMOTE = 11;
    public static final int MAX_REMOTE = 254;

    /** The figures {@link #DEFAULT} and every {@link #fallback} use, and where they are from. */
    private static final double DEFAULT_REMOTE_MICROS = 68.8;
    private static final double DEFAULT_LOCAL_MICROS = 16.8;
    private static final String DEFAULT_SOURCE = "default: bench dsm-latency on the build host, README 'DSM performance'";

    /**
     * Used when nothing was measured at start: {@code giantvm bench dsm-latency --runs 3} on the build machine
     * (README "DSM performance", the quiet-host table, run 2 — the run whose read ratio is the median):
     * remote read fault 68.8 µs, userfaultfd floor (a locally resolved fault) 16.8 µs, so 10 x 4.10 = 41.
     */
    public static final SlitDistance DEFAULT = fromLatency(DEFAULT_REMOTE_MICROS, DEFAULT_LOCAL_MICROS,
            DEFAULT_SOURCE + "; nothing measured at start");

    /** The default figures, saying why nothing was measured: what the boot node declares when it cannot measure. */
    public static SlitDistance fallback(String reason) {
        return fromLatency(DEFAULT_REMOTE_MICROS, DEFAULT_LOCAL_MICROS, DEFAULT_SOURCE + "; not measured: " + reason);
    }

    public SlitDistance {
        if (remote < MIN_REMOTE || remote > MAX_REMOTE) {
            throw new IllegalArgumentException("SLIT remote distance " + remote + " is outside " + MIN_REMOTE + ".." + MAX_REMOTE);
        }
    }

    /** 10 x remote / local, rounded, within {@link #MIN_REMOTE}..{@link #MAX_REMOTE}. */
    public static SlitDistance fromLatency(double remoteFaultMicros, double localAccessMicros, String source) {
        if (!(remoteFaultMicros > 0) || !(localAccessMicros > 0)) {
            throw new IllegalArgumentException("latencies must be positive: remote " + remoteFaultMicros
                    + " µs, local " + localAccessMicros + " µs");
        }
        long d = Math.round(LOCAL * remoteFaultMicros / localAccessMicros);
        int remote = (int) Math.clamp(d, MIN_REMOTE, MAX_REMOTE);
        return new SlitDistance(remote, remoteFaultMicros, localAccessMicros, source);
    }

    /** "41 = 10 x remote fault 68.8 µs / local fault 16.8 µs (source)". */
    public String explain() {
        return String.format(Locale.ROOT, "%d = 10 x remote fault %.1f µs / local fault %.1f µs%s (%s)", remote,
                remoteFaultMicros, localAccessMicros,
                Math.round(LOCAL * remoteFaultMicros / localAccessMicros) != remote
                        ? ", bounded to " + MIN_REMOTE + ".." + MAX_REMOTE : "", source);
    }
}
