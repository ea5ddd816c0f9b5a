package io.caravan.core.notify;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** The last lines of an attempt's log, reading at most the file's last 64 KiB whatever its size. */
public final class LogTail {
    private static final int MAX_BYTES = 64 * 1024;

    private LogTail() {}

    /** At most {@code lines} last lines; none when there is no log or it cannot be read. */
    public static List<String> of(String path, int lines) {
        if (path == null) {
            return List.of();
        }
        try (RandomAccessFile file = new RandomAccessFile(path, "r")) {
            long length = file.length();
            int size = (int) Math.min(length, MAX_BYTES);
            byte[] bytes = new byte[size];
            file.seek(length - size);
            file.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            List<String> all = Arrays.asList(text.split("\r?\n", -1));
            if (!all.isEmpty() && all.get(all.size() - 1).isEmpty()) {
                all = all.subList(0, all.size() - 1);
            }
            if (size < length && !all.isEmpty()) {
                all = all.subList(1, all.size()); // the first line read is cut
            }
            return List.copyOf(all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return List.of();
        }
    }
}
