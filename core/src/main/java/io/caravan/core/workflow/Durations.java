package io.caravan.core.workflow;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as workflows write them: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h30m}, {@code 2d}. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    /** A century: longer is a typo, and would overflow the millisecond and nanosecond arithmetic of timers. */
    static final Duration MAX = Duration.ofDays(36_500);

    private static final Pattern WHOLE = Pattern.compile("(\\d+(ms|s|m|h|d))+");

    private Durations() {}

    /** A duration as a workflow would write it ({@code 1h30m}, {@code 5s}, {@code 500ms}): the way {@link #parse} reads it back. */
    public static String format(Duration d) {
        StringBuilder out = new StringBuilder();
        long ms = d.toMillis();
        for (var unit :
                new Object[][] {{86_400_000L, "d"}, {3_600_000L, "h"}, {60_000L, "m"}, {1_000L, "s"}, {1L, "ms"}}) {
            long size = (Long) unit[0];
            if (ms >= size) {
                out.append(ms / size).append(unit[1]);
                ms %= size;
            }
        }
        return out.isEmpty() ? "0s" : out.toString();
    }

    /** @throws IllegalArgumentException with a message that says what is accepted */
    public static Duration parse(String text) {
        String t = text.strip();
        if (!WHOLE.matcher(t).matches()) {
            throw new IllegalArgumentException("bad duration '" + text + "': use a number with a unit, "
                    + "ms, s, m, h or d, e.g. 30s, 5m, 1h30m");
        }
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(t);
        try {
            while (m.find()) {
                long n = Long.parseLong(m.group(1));
                total = total.plus(
                        switch (m.group(2)) {
                            case "ms" -> Duration.ofMillis(n);
                            case "s" -> Duration.ofSeconds(n);
                            case "m" -> Duration.ofMinutes(n);
                            case "h" -> Duration.ofHours(n);
                            default -> Duration.ofDays(n);
                        });
            }
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("duration '" + (text.length() <= 40 ? text : text.substring(0, 40) + "…")
                    + "' is too long: at most " + MAX.toDays() + "d");
        }
        if (total.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("duration '" + text + "' is too long: at most " + MAX.toDays() + "d");
        }
        return total;
    }
}
