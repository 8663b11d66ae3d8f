package io.giantvm.engine.numa;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Measures the SLIT's two figures on the boot node at start, with the mesh up and before the guest is loaded:
 * first-touch read faults through the running DSM on pages nobody has touched yet, alternately on a page homed
 * here (the local access cost) and on a page homed on another node (the remote fault latency; the other nodes
 * take turns), each timed on its own; the medians give {@link SlitDistance#fromLatency}. See {@link SlitDistance}
 * for why these two events. 128 faults of each kind took 59-192 ms in {@code SlitProbeTest} on the build host
 * (2 cores, load average ~7: medians 54-84 µs local, 116-148 µs remote, but under load a few faults wait milliseconds
 * for a CPU), a blink beside a Linux boot; the startup line prints how long it took.
 *
 * <p>Which pages: the top pages of each home range. The guest finds them as it would have (zeros), and all that
 * remains of the probe is a read-only copy on this node, which the first write there upgrades or invalidates.
 *
 * <p>When it cannot measure, it says why and the boot node declares {@link SlitDistance#fallback}: a home range
 * too small, a fault that fails, or faults that do not finish within {@link #BOUND} (a peer that does not answer
 * leaves the touching thread asleep in the kernel, so the faults run on a thread of their own that the boot node
 * stops waiting for; closing the userfaultfd at shutdown releases it, as it does a stuck vCPU).
 */
public final class SlitProbe {
    /** Faults of each kind that count. */
    static final int SAMPLES = 64;
    /**
     * Faults of each kind before those, not counted: the first trips through the DSM's code run interpreted. On the
     * build host (2 busy cores) 16 of them left the local median at 77-128 µs, 240 at ~50 µs, the ratio ~2 either way.
     */
    static final int WARMUP = 64;
    /**
     * How long the boot node waits for the probe before it declares the default: far above the ~0.1-0.5 s its
     * faults take even under nested KVM (~1-2 ms a remote fault there), so only a peer that does not answer hits it.
     */
    static final Duration BOUND = Duration.ofSeconds(5);
    static final long PAGE = 4096;

    /** Touches one guest page the way a vCPU does (a load through the DSM-managed mapping), blocking until it is there. */
    @FunctionalInterface
    public interface PageToucher {
        void touch(long guestAddress);
    }

    /** The pages the probe touches, in pairs: {@code local[i]} then {@code remote[i]}. */
    record Plan(long[] local, long[] remote, String remoteNodes) {}

    private SlitProbe() {}

    /** The distance node {@code self} declares: measured, or the default with the reason it could not be. */
    public static SlitDistance measure(NumaTopology numa, int self, PageToucher toucher) {
        return measure(numa, self, toucher, WARMUP, SAMPLES, BOUND);
    }

    static SlitDistance measure(NumaTopology numa, int self, PageToucher toucher, int warmup, int samples, Duration bound) {
        Plan plan;
        try {
            plan = plan(numa, self, warmup + samples);
        } catch (IllegalArgumentException e) {
            return SlitDistance.fallback(e.getMessage());
        }
        long start = System.nanoTime();
        CompletableFuture<long[][]> timed = new CompletableFuture<>();
        AtomicBoolean givenUp = new AtomicBoolean();
        Thread.ofPlatform().name("numa-slit-probe").daemon().start(() -> {
            try {
                timed.complete(touchAll(plan, toucher, givenUp));
            } catch (Throwable t) {
                timed.completeExceptionally(t);
            }
        });
        long[][] nanos;
        try {
            nanos = timed.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            givenUp.set(true); // a fault that finishes late touches no further page while the guest loads
            return SlitDistance.fallback("its " + (warmup + samples) + " page faults each way did not finish within "
                    + bound.toMillis() + " ms");
        } catch (ExecutionException e) {
            return SlitDistance.fallback("a probe fault failed: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SlitDistance.fallback("interrupted");
        }
        String source = String.format(Locale.ROOT, "measured on node %d at start: medians of %d first-touch read faults"
                + " on pages homed on %s and %d on pages homed here, after %d of each; %.0f ms", self, samples,
                plan.remoteNodes(), samples, warmup, (System.nanoTime() - start) / 1e6);
        return fromSamples(Arrays.copyOfRange(nanos[0], warmup, nanos[0].length),
                Arrays.copyOfRange(nanos[1], warmup, nanos[1].length), source);
    }

    /** 10 x median remote / median local; the default with the reason when a median is not positive. */
    static SlitDistance fromSamples(long[] localNanos, long[] remoteNanos, String source) {
        double local = median(localNanos) / 1e3;
        double remote = median(remoteNanos) / 1e3;
        if (!(local > 0) || !(remote > 0)) {
            return SlitDistance.fallback("the probe timed a fault at 0 ns (local " + local + " µs, remote " + remote + " µs)");
        }
        return SlitDistance.fromLatency(remote, local, source);
    }

    /**
     * {@code count} pages homed on {@code self} (its top pages, highest first) and {@code count} homed on the other
     * domains in turn (each one's top pages).
     */
    static Plan plan(NumaTopology numa, int self, int count) {
        ProximityDomain here = numa.domains().stream().filter(d -> d.domain() == self).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("node " + self + " is not a proximity domain"));
        List<ProximityDomain> others = numa.domains().stream().filter(d -> d.domain() != self).toList();
        long[] local = new long[count];
        long[] remote = new long[count];
        for (int i = 0; i < count; i++) {
            local[i] = topPage(here, i, count);
            remote[i] = topPage(others.get(i % others.size()), i / others.size(), (count + others.size() - 1) / others.size());
        }
        String names = others.size() == 1 ? "node " + others.getFirst().domain()
                : "nodes " + String.join(", ", others.stream().map(d -> String.valueOf(d.domain())).toList());
        return new Plan(local, remote, names);
    }

    /** The {@code k}-th page from the top of {@code d}'s range, which must hold {@code needed} of them. */
    private static long topPage(ProximityDomain d, int k, int needed) {
        if (d.memoryBytes() / PAGE < needed) {
            throw new IllegalArgumentException("node " + d.domain() + "'s home range has " + d.memoryBytes() / PAGE
                    + " pages, the probe needs " + needed);
        }
        return d.memoryEnd() - (k + 1) * PAGE;
    }

    /** {local nanos, remote nanos}, one per page of the plan, alternating so that both see the same load. */
    private static long[][] touchAll(Plan plan, PageToucher toucher, AtomicBoolean givenUp) {
        long[] local = new long[plan.local().length];
        long[] remote = new long[plan.remote().length];
        for (int i = 0; i < local.length && !givenUp.get(); i++) {
            local[i] = timed(toucher, plan.local()[i]);
            remote[i] = timed(toucher, plan.remote()[i]);
        }
        return new long[][] {local, remote};
    }

    private static long timed(PageToucher toucher, long address) {
        long t0 = System.nanoTime();
        toucher.touch(address);
        return System.nanoTime() - t0;
    }

    static double median(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
    }
}
