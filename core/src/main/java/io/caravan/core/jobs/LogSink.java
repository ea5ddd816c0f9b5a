package io.caravan.core.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.caravan.core.storage.OwnerOnly;

/** Receives a job's log bytes in order. */
@FunctionalInterface
public interface LogSink {
    void append(byte[] bytes);

    LogSink DISCARD = bytes -> {};

    /**
     * Appends to a file, created empty on the first call: a job adopted after an engine restart is read from
     * its first byte again, and must not follow what the previous engine wrote.
     */
    static LogSink toFile(Path file) {
        return new LogSink() {
            private boolean started;

            @Override
            public synchronized void append(byte[] bytes) {
                try {
                    if (!started) {
                        // job output may hold anything the job printed: the owner's alone
                        OwnerOnly.write(file, bytes, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
                        started = true;
                    } else {
                        Files.write(file, bytes, StandardOpenOption.APPEND);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write job log " + file, e);
                }
            }
        };
    }
}
