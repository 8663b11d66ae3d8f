package io.giantvm.engine.linux;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;

/**
 * The guest console on its way to the user: every byte passes through unchanged, and each complete
 * line also goes to a listener (the /init report) and into a ring of the last lines (for the message
 * of a guest that panicked or timed out). Written by the vCPU thread that owns the UART.
 */
public final class ConsoleTap extends OutputStream {
    private final OutputStream out;
    private final Consumer<String> lines;
    private final int keep;
    private final ArrayDeque<String> last = new ArrayDeque<>();
    private final StringBuilder current = new StringBuilder();
    private final PromptWatch prompt;

    public ConsoleTap(OutputStream out, Consumer<String> lines, int keep) {
        this(out, lines, keep, null);
    }

    /** As above, and {@code prompt} (may be null) sees each incomplete line as it grows. */
    public ConsoleTap(OutputStream out, Consumer<String> lines, int keep, PromptWatch prompt) {
        this.out = out;
        this.lines = lines;
        this.keep = keep;
        this.prompt = prompt;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        out.write(b);
        if (b == '\n') {
            String line = current.toString();
            current.setLength(0);
            lines.accept(line);
            last.addLast(line);
            if (last.size() > keep) {
                last.removeFirst();
            }
        } else if (b != '\r' && current.length() < 4096) {
            current.append((char) (b & 0xFF));
            if (prompt != null) {
                prompt.check(current);
            }
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /** The last complete lines (up to {@code keep}) and the incomplete one, if any. */
    public synchronized List<String> lastLines() {
        ArrayDeque<String> copy = new ArrayDeque<>(last);
        if (!current.isEmpty()) {
            copy.addLast(current.toString());
        }
        return List.copyOf(copy);
    }
}
