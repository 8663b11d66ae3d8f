package io.giantvm.engine.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} and {@code --flag} arguments of one command, checked against the names the
 * command accepts. Values are taken as strings; each command converts and range-checks them.
 */
public final class Options {
    private final Map<String, String> values = new LinkedHashMap<>();

    private Options() {}

    /**
     * @param valued names that take a value
     * @param flags  names that take none
     * @param extra  further valued names accepted and passed through (e.g. workload options)
     */
    public static Options parse(String command, List<String> args, Set<String> valued, Set<String> flags, Set<String> extra) {
        Options o = new Options();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException("unexpected argument '" + arg + "' (options look like --name value)");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flags.contains(name)) {
                if (value != null) {
                    throw new UsageException("--" + name + " takes no value");
                }
                o.values.put(name, "true");
                continue;
            }
            if (!valued.contains(name) && !extra.contains(name)) {
                throw new UsageException("unknown option --" + name + " for '" + command + "' (see: giantvm help)");
            }
            if (value == null) {
                if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                    throw new UsageException("--" + name + " needs a value");
                }
                value = args.get(++i);
            }
            if (o.values.put(name, value) != null) {
                throw new UsageException("--" + name + " given twice");
            }
        }
        return o;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public int getInt(String name, int fallback, int min, int max) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        int n;
        try {
            n = Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, got '" + v + "'");
        }
        if (n < min || n > max) {
            throw new UsageException("--" + name + " must be between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    /** The subset of options whose names are in {@code names}, in the order given. */
    public Map<String, String> only(Set<String> names) {
        Map<String, String> m = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (names.contains(k)) {
                m.put(k, v);
            }
        });
        return m;
    }
}
