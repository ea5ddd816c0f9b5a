package io.caravan.app.console;

import java.io.PrintStream;

/**
 * One progress line that redraws itself on a terminal and prints a plain line now and then when output
 * goes to a file or CI log, so a long run always shows it is alive.
 */
public final class ProgressLine {
    private static final int BAR = 30;
    private static final long PLAIN_EVERY_NANOS = 2_000_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private long lastPlainNanos;

    public ProgressLine(PrintStream out) {
        this(out, System.console() != null);
    }

    ProgressLine(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    public synchronized void show(String label, long done, long total, String details) {
        String line =
                label + " " + bar(done, total) + " " + done + "/" + total + (details.isEmpty() ? "" : "  " + details);
        if (terminal) {
            out.print("\r\033[K" + line);
            out.flush();
        } else if (done == total || System.nanoTime() - lastPlainNanos > PLAIN_EVERY_NANOS) {
            lastPlainNanos = System.nanoTime();
            out.println(line);
        }
    }

    public synchronized void finish() {
        if (terminal) {
            out.println();
        }
    }

    public static String bar(long done, long total) {
        int filled = total == 0 ? BAR : (int) (BAR * done / total);
        return "[" + "#".repeat(filled) + ".".repeat(BAR - filled) + "]";
    }
}
