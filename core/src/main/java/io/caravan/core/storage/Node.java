package io.caravan.core.storage;

import java.time.Duration;
import java.time.Instant;

/**
 * An engine process sharing the database: alive while its heartbeat is fresh.
 *
 * @param stoppedAt when it stopped cleanly; null while it runs (or after it died)
 */
public record Node(String id, String machine, long pid, Instant startedAt, Instant heartbeatAt, Instant stoppedAt) {

    /** Alive: not stopped, and beat within {@code ttl} of {@code now}. */
    public boolean liveAt(Instant now, Duration ttl) {
        return stoppedAt == null && heartbeatAt.plus(ttl).isAfter(now);
    }
}
