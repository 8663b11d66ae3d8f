package io.giantvm.engine.cli;

/** Entry point of the {@code giantvm} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.err.println("giantvm: not built yet");
        System.exit(2);
    }
}
