package io.caravan.core.workflow;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An amount of memory as a workflow writes it: a number and a unit, {@code 512M}, {@code 4G}, {@code 1.5G}
 * ({@code K}, {@code M}, {@code G}, {@code T}, each 1024 of the one before, as Slurm counts; {@code MB},
 * {@code GiB} and the like read the same). A bare number is refused: 4 of what is a guess.
 */
public record MemorySize(long bytes) implements Comparable<MemorySize> {
    private static final Pattern FORM =
            Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT])(?:i?B)?", Pattern.CASE_INSENSITIVE);
    private static final long MIB = 1L << 20;
    /** 1 PiB: more is a typo, and stays far from overflowing a long. */
    private static final long MAX = 1L << 50;

    public MemorySize {
        if (bytes <= 0) {
            throw new IllegalArgumentException("memory must be more than 0, got " + bytes + " bytes");
        }
    }

    public static MemorySize ofMegabytes(long megabytes) {
        return new MemorySize(Math.multiplyExact(megabytes, MIB));
    }

    /** @throws IllegalArgumentException with a message that says what is accepted */
    public static MemorySize parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "bad memory size '" + text + "': use a number with a unit, K, M, G or T," + " e.g. 512M, 4G, 1.5G");
        }
        int shift = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            default -> 40;
        };
        BigDecimal bytes = new BigDecimal(m.group(1))
                .multiply(BigDecimal.valueOf(1L << shift))
                .setScale(0, RoundingMode.CEILING);
        if (bytes.signum() <= 0) {
            throw new IllegalArgumentException("memory size '" + text + "' must be more than 0");
        }
        if (bytes.compareTo(BigDecimal.valueOf(MAX)) > 0) {
            throw new IllegalArgumentException("memory size '" + text + "' is too large: at most 1024T");
        }
        return new MemorySize(bytes.longValueExact());
    }

    /** Whole mebibytes, rounded up: what Slurm's {@code --mem} counts in. */
    public long megabytes() {
        return (bytes + MIB - 1) / MIB;
    }

    @Override
    public int compareTo(MemorySize o) {
        return Long.compare(bytes, o.bytes);
    }

    /** The largest whole unit that writes it exactly ({@code 4G}, {@code 1536M}), as {@link #parse} reads it back. */
    @Override
    public String toString() {
        String[] units = {"T", "G", "M", "K"};
        for (int i = 0; i < units.length; i++) {
            long size = 1L << (40 - 10 * i);
            if (bytes % size == 0) {
                return bytes / size + units[i];
            }
        }
        return (bytes + 1023) / 1024 + "K";
    }
}
