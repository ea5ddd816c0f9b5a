package io.caravan.core.jobs;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads "@@ID N\n" followed by exactly N raw bytes, repeated: how several jobs' log bytes travel in one
 * command's output without any byte of a log being mistaken for a separator.
 */
final class Frames {
    private Frames() {
    }

    static Map<String, byte[]> parse(byte[] out) {
        Map<String, byte[]> frames = new LinkedHashMap<>();
        int at = 0;
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
                throw new IllegalStateException("job host sent " + (out.length - eol - 1) + " bytes of " + id + ", announced " + n);
            }
            byte[] bytes = new byte[n];
            System.arraycopy(out, eol + 1, bytes, 0, n);
            frames.put(id, bytes);
            at = eol + 1 + n;
        }
        return frames;
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
