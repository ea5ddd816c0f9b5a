package io.caravan.core.ssh;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential back-off with jitter and an attempt cap. Jitter keeps many callers that
 * failed together from retrying together, which is what re-triggers MaxStartups drops.
 *
 * @param base        delay before the first retry (before jitter)
 * @param cap         largest delay
 * @param maxAttempts attempts allowed in all, the first included
 */
public record Backoff(Duration base, Duration cap, int maxAttempts) {

    public Backoff {
        if (base.isNegative() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff needs 0 <= base <= cap, got " + base + " and " + cap);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("backoff needs maxAttempts >= 1, got " + maxAttempts);
        }
    }

    /** "Equal jitter": half the exponential delay is kept, the other half is random, so a delay never collapses to 0. */
    public Duration delayBeforeRetry(int failures) {
        long ceiling = ceilingNanos(failures);
        long half = ceiling / 2;
        return Duration.ofNanos(half + (half > 0 ? ThreadLocalRandom.current().nextLong(half + 1) : 0));
    }

    private long ceilingNanos(int failures) {
        int doublings = Math.min(Math.max(failures - 1, 0), 40);
        long grown = base.toNanos() << doublings;
        return grown < 0 || grown > cap.toNanos() ? cap.toNanos() : grown;
    }

    public boolean exhausted(int failures) {
        return failures >= maxAttempts;
    }
}
