package io.caravan.app.console;

import java.time.Duration;
import java.util.Locale;

/** A duration as people read it: {@code 850ms}, {@code 4.2s}, {@code 1m 12s}, {@code 2h 03m}, {@code 3d 4h}. */
public final class Elapsed {
    private Elapsed() {}

    public static String format(Duration d) {
        long ms = Math.max(0, d.toMillis());
        if (ms < 1_000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3_600) {
            return s / 60 + "m " + s % 60 + "s";
        }
        if (s < 86_400) {
            return s / 3_600 + "h " + String.format(Locale.ROOT, "%02dm", s % 3_600 / 60);
        }
        return s / 86_400 + "d " + s % 86_400 / 3_600 + "h";
    }
}
