package io.caravan.core.storage;

import java.time.Duration;
import java.time.Instant;

/**
 * A job directory whose removal failed every in-process retry, retried later until it is gone; or, while it has a
 * {@code holder}, one whose job's outcome is recorded and whose removal that engine is doing now: a debt only if
 * the holder dies (or its grace runs out) first.
 *
 * @param runId  the run whose job left the directory, when known
 * @param holder the engine removing the directory now, or null for a debt
 */
public record CleanupDebt(
        long id,
        OwedDirectory directory,
        String runId,
        String holder,
        String reason,
        int attempts,
        Instant nextAttemptAt,
        Instant createdAt) {

    /** How long a holder has to confirm a removal before any engine may retry it as a debt. */
    public static final Duration GRACE = Duration.ofMinutes(10);

    public String host() {
        return directory.host();
    }

    public int port() {
        return directory.port();
    }

    public String user() {
        return directory.user();
    }

    public String baseDir() {
        return directory.baseDir();
    }

    public String jobId() {
        return directory.jobId();
    }
}
