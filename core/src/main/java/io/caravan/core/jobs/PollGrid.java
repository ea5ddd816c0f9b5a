package io.caravan.core.jobs;

import java.time.Duration;
import java.time.Instant;

/**
 * When a host's next poll is due. Each host is polled on its own grid, one interval apart, shifted by its phase (a
 * fraction of the interval): hosts attached together, with the same interval, do not send their status commands at
 * the same moment and make them compete for the same cores (bench scale: ten hosts of 1 000 jobs each). The first
 * poll is due at once; after that, the first grid point half an interval past the last poll's start and past its
 * answer: one poll per interval, and a host answering slower than its interval is not polled back to back.
 */
final class PollGrid {
    private volatile double phase;
    /** The last successful status command's start and answer (epoch milliseconds); none yet while started is null. */
    private volatile Long started;

    private volatile long answered;

    /** The grid's shift, a fraction of the interval in [0, 1). */
    void phase(double fractionOfInterval) {
        if (!(fractionOfInterval >= 0 && fractionOfInterval < 1)) {
            throw new IllegalArgumentException(
                    "a poll phase is a fraction of the interval in [0, 1): " + fractionOfInterval);
        }
        this.phase = fractionOfInterval;
    }

    /** A status command begun at {@code start} was answered at {@code answer}. */
    void polled(Instant start, Instant answer) {
        answered = answer.toEpochMilli();
        started = start.toEpochMilli();
    }

    /** Whether a poll is due at {@code now}, counting {@code early} as on time (the routes' tick is coarse). */
    boolean due(Instant now, Duration interval, Duration early) {
        Long start = started;
        if (start == null) {
            return true;
        }
        long every = Math.max(1, interval.toMillis());
        return now.toEpochMilli() + early.toMillis() >= pointAfter(Math.max(start + every / 2, answered), every);
    }

    /** The first point of the grid strictly after {@code time}. */
    private long pointAfter(long time, long every) {
        long shift = (long) (phase * every);
        return shift + Math.floorDiv(time - shift, every) * every + every;
    }
}
