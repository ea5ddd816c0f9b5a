package io.caravan.spi;

/**
 * Bytes {@code [offset, offset + length)} of a job's log. A poll reports each log's size, so the
 * caller asks only for logs that grew, and only for what is there.
 */
public record LogRange(String id, long offset, int length) {

    /** The next chunk of a log of {@code size} bytes read up to {@code offset}, at most {@code max} bytes. */
    public static LogRange next(String id, long offset, long size, int max) {
        return new LogRange(id, offset, (int) Math.max(0, Math.min(max, size - offset)));
    }
}
