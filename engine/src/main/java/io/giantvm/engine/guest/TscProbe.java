package io.giantvm.engine.guest;

import java.util.List;

/**
 * What one token pass between the BSP and an application processor says about their TSCs (the guest's
 * tscprobe.c): the BSP read {@code bspBefore}, passed the token, the AP read {@code apTime} on seeing it, and
 * the BSP read {@code bspAfter} on seeing the answer. With one clock, {@code bspBefore <= apTime <= bspAfter}
 * (each read causally follows the previous one). If the AP's TSC runs {@code s} cycles ahead of the BSP's,
 * then {@code apTime - bspAfter < s < apTime - bspBefore}: the skew is known to within the round trip.
 *
 * @param vcpu the application processor's APIC id
 */
public record TscProbe(int vcpu, long bspBefore, long apTime, long bspAfter) {

    public static TscProbe of(ReportRecord r) {
        if (r.kind() != ReportKind.TSC_PROBE) {
            throw new IllegalArgumentException("not a TSC probe record: " + r.kind());
        }
        return new TscProbe(r.vcpu(), r.operations(), r.tscCycles(), r.checksum());
    }

    public static List<TscProbe> of(List<ReportRecord> records) {
        return records.stream().filter(r -> r.kind() == ReportKind.TSC_PROBE).map(TscProbe::of).toList();
    }

    /** Lower bound of the AP's TSC minus the BSP's, in cycles (may be negative). */
    public long skewLow() {
        return apTime - bspAfter;
    }

    /** Upper bound of the AP's TSC minus the BSP's, in cycles. */
    public long skewHigh() {
        return apTime - bspBefore;
    }

    /** The round trip the bounds are made of, in cycles. */
    public long roundTrip() {
        return bspAfter - bspBefore;
    }

    /**
     * How far time appeared to run backwards across the pass, in cycles (0 if it never did): the AP read a value
     * below the BSP's earlier one, or the BSP read a value below the AP's earlier one.
     */
    public long backwards() {
        return Math.max(0, Math.max(bspBefore - apTime, apTime - bspAfter));
    }
}
