package io.giantvm.engine.linux;

import java.util.concurrent.CountDownLatch;

/**
 * Waits for a shell prompt on the guest console. Input typed into {@code --shell} is held back until the
 * guest's shell has printed its first prompt: before that, cttyhack and the shell are still opening and
 * configuring the tty, and bytes that arrive then are echoed or dropped but never read (seen in tests:
 * of "echo ...\nexit\n" sent at /init's "shell" report, the shell got only a fragment). Once the prompt is
 * out, the shell reads the tty and the tty's own buffer keeps whatever is typed while a command runs.
 */
public final class PromptWatch {
    private final String prompt;
    private final CountDownLatch seen = new CountDownLatch(1);

    public PromptWatch(String prompt) {
        if (prompt.isEmpty()) {
            throw new IllegalArgumentException("an empty prompt would match before anything is printed");
        }
        this.prompt = prompt;
    }

    /**
     * Called with the console's current, incomplete line after each byte. The prompt counts only as a
     * whole line so far (the shell prints it at the start of a line), never as text inside a kernel message.
     */
    void check(CharSequence currentLine) {
        if (currentLine.length() == prompt.length() && seen.getCount() > 0 && prompt.contentEquals(currentLine)) {
            seen.countDown();
        }
    }

    public boolean hasAppeared() {
        return seen.getCount() == 0;
    }

    public void await() throws InterruptedException {
        seen.await();
    }
}
