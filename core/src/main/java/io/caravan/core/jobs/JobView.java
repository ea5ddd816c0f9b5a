package io.caravan.core.jobs;

import java.time.Instant;

/**
 * One job's state as {@link HostJobs} noted it, taken in one piece under its lock: what the steps decide on, while
 * the writes go through {@code HostJobs}.
 *
 * @param termSentAt when TERM was sent to its process group; null before
 * @param offset     how much of its log reached its sink
 * @param size       how long the host last said its log is
 */
record JobView(
        String id,
        JobRequest request,
        boolean held,
        Instant submittedAt,
        Instant deadline,
        Instant termSentAt,
        boolean killSent,
        boolean cancelRequested,
        long offset,
        long size) {

    static JobView of(Watch w) {
        return new JobView(
                w.id(),
                w.request,
                w.held,
                w.submittedAt,
                w.deadline,
                w.termSentAt,
                w.killSent,
                w.cancelRequested,
                w.offset,
                w.size);
    }

    boolean signalled() {
        return termSentAt != null;
    }

    boolean logGrown() {
        return size > offset;
    }
}
