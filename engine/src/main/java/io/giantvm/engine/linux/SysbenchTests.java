package io.giantvm.engine.linux;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sysbench tests the default guest's /init runs by name, and the sysbench arguments each name stands for
 * (before {@code --threads}, {@code --time} and {@code run}). init.sh spells the same arguments in its own case
 * statement (the guest has no JVM); {@code SysbenchTestsAgreeWithInitTest} holds the two together.
 */
public final class SysbenchTests {
    /** What /init runs when not told otherwise (and the operator's default): sysbench's own four tests. */
    public static final List<String> DEFAULT = List.of("cpu", "memory", "mutex", "threads");

    private static final Map<String, List<String>> ARGUMENTS = byName();

    /** Every name /init takes, the defaults first. */
    public static final List<String> KNOWN = List.copyOf(ARGUMENTS.keySet());

    private SysbenchTests() {}

    private static Map<String, List<String>> byName() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String own : DEFAULT) {
            m.put(own, List.of(own));
        }
        m.put("memory-read-global", paperMemory("read", "global"));
        m.put("memory-write-local", paperMemory("write", "local"));
        return m;
    }

    /**
     * The TURC'19 paper's memory tests: 4 KiB blocks, read of one buffer all threads share, and write of a buffer
     * each thread has of its own. A total size of 0 is sysbench 1.0's "no limit", so {@code --time} alone ends them
     * (its default 100 GiB took this host 4 s at 4 KiB blocks: a 5 s window would have been cut short).
     */
    private static List<String> paperMemory(String oper, String scope) {
        return List.of("memory", "--memory-block-size=4K", "--memory-total-size=0", "--memory-oper=" + oper,
                "--memory-scope=" + scope);
    }

    /**
     * sysbench's test name and options for the named test.
     *
     * @throws IllegalArgumentException for a name /init does not know
     */
    public static List<String> arguments(String test) {
        List<String> a = ARGUMENTS.get(test);
        if (a == null) {
            throw new IllegalArgumentException("unknown sysbench test '" + test + "' (tests: " + String.join(",", KNOWN) + ")");
        }
        return a;
    }
}
