package dev.finetune4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Progress on stderr: one line redrawn in place, drawn only when stderr is a terminal, so logs,
 * pipes and {@code --json} runs stay clean. Not thread-safe.
 */
final class Terminal {

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean enabled;
    private int lastWidth;

    /**
     * @param out the command's stdout, flushed before a line is drawn so that what it printed
     *     appears above the progress line
     * @param err where the line goes
     * @param enabled whether to draw at all (stderr is a terminal)
     */
    Terminal(PrintWriter out, PrintWriter err, boolean enabled) {
        this.out = out;
        this.err = err;
        this.enabled = enabled;
    }

    /**
     * Whether this process's stderr is a terminal. Java cannot ask {@code isatty(2)}; on Linux the
     * link {@code /proc/self/fd/2} names the device. Elsewhere, a console on stdin and stdout is
     * the best available sign.
     */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    /** Whether lines are drawn. */
    boolean enabled() {
        return enabled;
    }

    /** Replaces the progress line with {@code text}. */
    void update(String text) {
        if (!enabled) {
            return;
        }
        if (lastWidth == 0) {
            out.flush();
        }
        int width = text.codePointCount(0, text.length());
        err.print("\r" + text + " ".repeat(Math.max(0, lastWidth - width)));
        err.flush();
        lastWidth = width;
    }

    /** Ends the progress line (the next output starts on a new line). */
    void done() {
        if (enabled && lastWidth > 0) {
            err.println();
            err.flush();
        }
        lastWidth = 0;
    }

    /** {@code [#######-------]} for a fraction from 0 to 1. */
    static String bar(double fraction, int width) {
        int full = (int) Math.round(Math.max(0, Math.min(1, fraction)) * width);
        return "[" + "#".repeat(full) + "-".repeat(width - full) + "]";
    }
}
