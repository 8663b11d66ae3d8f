package io.giantvm.engine.cli;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * GiantVM's published ratios (ACM TURC 2019: sysbench inside one Linux over 4 machines, 24 vCPUs, against one
 * machine), as issue 11 quotes them: 4 KiB global read 0.62x, 4 KiB local write 0.64x, mutex 0.34x, fileio about
 * 1/20. cpu and threads have no quoted figure. fileio is not run here (the guest has no disk).
 */
final class PaperFigures {
    static final String SOURCE = "ACM TURC 2019, one Linux over 4 machines (24 vCPUs) against one machine";
    static final String FILEIO = "about 1/20";

    private static final Map<String, Double> RATIOS = Map.of(
            "memory-read-global", 0.62,
            "memory-write-local", 0.64,
            "mutex", 0.34);

    private PaperFigures() {}

    static OptionalDouble ratio(String test) {
        Double r = RATIOS.get(test);
        return r == null ? OptionalDouble.empty() : OptionalDouble.of(r);
    }
}
