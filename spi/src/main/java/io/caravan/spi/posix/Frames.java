package io.caravan.spi.posix;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.caravan.spi.LogRange;

/**
 * Reads "@@ID N\n" followed by exactly N raw bytes, repeated: how several jobs' log bytes travel in one
 * command's output without any byte of a log being mistaken for a separator.
 */
final class Frames {
    private Frames() {}

    static Map<String, byte[]> parse(byte[] out) {
        return parse(out, List.of());
    }

    /**
     * Also reads a leading "@@whole TOTAL\n" block: the {@code wholes} ranges' bytes back to back, in order,
     * each exactly its range's length.
     */
    static Map<String, byte[]> parse(byte[] out, List<LogRange> wholes) {
        Map<String, byte[]> frames = new LinkedHashMap<>();
        int at = 0;
        byte[] whole = "@@whole ".getBytes(StandardCharsets.US_ASCII);
        if (!wholes.isEmpty() && startsWith(out, whole)) {
            int eol = indexOf(out, (byte) '\n', 0);
            long total = Long.parseLong(new String(out, whole.length, eol - whole.length, StandardCharsets.US_ASCII));
            if (eol + 1 + total > out.length) {
                throw new IllegalStateException(
                        "job host sent " + (out.length - eol - 1) + " log bytes, announced " + total);
            }
            at = eol + 1;
            for (LogRange r : wholes) {
                frames.put(r.id(), Arrays.copyOfRange(out, at, at + r.length()));
                at += r.length();
            }
        }
        while (at < out.length) {
            int eol = indexOf(out, (byte) '\n', at);
            String header = new String(out, at, eol - at, StandardCharsets.UTF_8);
            if (!header.startsWith("@@")) {
                throw new IllegalStateException("unexpected output from the job host: '" + header + "'");
            }
            int space = header.lastIndexOf(' ');
            String id = header.substring(2, space);
            int n = Integer.parseInt(header.substring(space + 1));
            if (eol + 1 + n > out.length) {
                throw new IllegalStateException(
                        "job host sent " + (out.length - eol - 1) + " bytes of " + id + ", announced " + n);
            }
            byte[] bytes = new byte[n];
            System.arraycopy(out, eol + 1, bytes, 0, n);
            frames.put(id, bytes);
            at = eol + 1 + n;
        }
        return frames;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        throw new IllegalStateException("truncated output from the job host");
    }
}
