package io.caravan.core.staging;

import java.util.Locale;

/** Byte counts as people read them in a log line: 512 B, 1.5 KiB, 12.0 MiB. */
public final class Sizes {
    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB"};

    private Sizes() {}

    public static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }

    /** "3 files, 1.5 KiB" */
    public static String files(int count, long bytes) {
        return count + (count == 1 ? " file, " : " files, ") + human(bytes);
    }
}
