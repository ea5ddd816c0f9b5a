package io.caravan.core.ssh;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Captures a command's output up to a limit, so one chatty command cannot exhaust the heap. */
final class BoundedOutput extends OutputStream {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final int limit;
    private boolean truncated;

    BoundedOutput(int limit) {
        this.limit = limit;
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        int room = limit - bytes.size();
        if (len > room) {
            truncated = true;
        }
        bytes.write(b, off, Math.max(0, Math.min(len, room)));
    }

    synchronized boolean truncated() {
        return truncated;
    }

    synchronized String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
