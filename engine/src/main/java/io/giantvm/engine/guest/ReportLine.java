package io.giantvm.engine.guest;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The guest also prints every record on its UART as one line,
 * {@code report kind=1 vcpu=0 workload=2 operations=.. tsc_cycles=.. checksum=.. interrupts=.. extra0=.. extra1=..}
 * (decimal, unsigned). This reads such lines back, e.g. from a QEMU console log.
 */
public final class ReportLine {
    private ReportLine() {}

    public static final String PREFIX = "report ";

    /** The record on this line, or empty if the line is not a report line. */
    public static Optional<ReportRecord> parse(String line) {
        String text = line.strip();
        if (!text.startsWith(PREFIX)) {
            return Optional.empty();
        }
        Map<String, String> fields = new HashMap<>();
        for (String token : text.substring(PREFIX.length()).trim().split("\\s+")) {
            int eq = token.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("bad report field '" + token + "' in: " + text);
            }
            fields.put(token.substring(0, eq), token.substring(eq + 1));
        }
        return Optional.of(new ReportRecord(
                ReportKind.fromCode((int) field(fields, "kind", text)),
                (int) field(fields, "vcpu", text),
                Workload.fromCode((int) field(fields, "workload", text)),
                field(fields, "operations", text),
                field(fields, "tsc_cycles", text),
                field(fields, "checksum", text),
                field(fields, "interrupts", text),
                field(fields, "extra0", text),
                field(fields, "extra1", text)));
    }

    /** The line the guest prints for this record. */
    public static String format(ReportRecord r) {
        return PREFIX + "kind=" + r.kind().code() + " vcpu=" + r.vcpu() + " workload=" + r.workload().code()
                + " operations=" + Long.toUnsignedString(r.operations())
                + " tsc_cycles=" + Long.toUnsignedString(r.tscCycles())
                + " checksum=" + Long.toUnsignedString(r.checksum())
                + " interrupts=" + Long.toUnsignedString(r.interrupts())
                + " extra0=" + Long.toUnsignedString(r.extra0())
                + " extra1=" + Long.toUnsignedString(r.extra1());
    }

    private static long field(Map<String, String> fields, String name, String line) {
        String v = fields.get(name);
        if (v == null) {
            throw new IllegalArgumentException("report line lacks " + name + ": " + line);
        }
        try {
            return Long.parseUnsignedLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("report field " + name + "=" + v + " is not a number: " + line);
        }
    }
}
