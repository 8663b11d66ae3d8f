package io.giantvm.engine.cli;

import io.giantvm.engine.dsm.bench.Placement;
import java.util.List;

/** {@code giantvm bench dsm-latency [--runs N] [--placement shared|spread|both]}, checked. */
record DsmLatencyOptions(int runs, List<Placement> placements) {
    static final int DEFAULT_RUNS = 3;
    /** Each run takes 10-30 s per placement; more than this is a typo. */
    static final int MAX_RUNS = 50;

    static DsmLatencyOptions parse(List<String> options) {
        int runs = DEFAULT_RUNS;
        List<Placement> placements = Placement.parse("both");
        for (int i = 0; i < options.size(); i += 2) {
            String name = options.get(i);
            if (i + 1 >= options.size() || !(name.equals("--runs") || name.equals("--placement"))) {
                throw new UsageException("bench dsm-latency takes only --runs N and --placement shared|spread|both, got: "
                        + String.join(" ", options));
            }
            String value = options.get(i + 1);
            if (name.equals("--runs")) {
                runs = runs(value);
            } else {
                placements = Placement.parse(value);
                if (placements == null) {
                    throw new UsageException("--placement must be shared, spread or both, got: " + value);
                }
            }
        }
        return new DsmLatencyOptions(runs, placements);
    }

    private static int runs(String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= MAX_RUNS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--runs must be a whole number from 1 to " + MAX_RUNS + ", got: " + value);
    }
}
