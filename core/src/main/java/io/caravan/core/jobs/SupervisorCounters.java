package io.caravan.core.jobs;

import java.util.concurrent.atomic.AtomicLong;

/** What one host's supervisor has done, counted as it goes; read as {@link SupervisorStats}. */
final class SupervisorCounters {
    private final AtomicLong rounds = new AtomicLong();
    private final AtomicLong submitCommands = new AtomicLong();
    private final AtomicLong pollCommands = new AtomicLong();
    private final AtomicLong jobsSubmitted = new AtomicLong();
    private final AtomicLong failedRounds = new AtomicLong();

    void round() {
        rounds.incrementAndGet();
    }

    /** One submit command went through; adopted jobs were started before and are not counted again. */
    void submitCommand(int started) {
        submitCommands.incrementAndGet();
        jobsSubmitted.addAndGet(started);
    }

    void pollCommand() {
        pollCommands.incrementAndGet();
    }

    void failedRound() {
        failedRounds.incrementAndGet();
    }

    SupervisorStats stats(long jobsEnded, int active, int queued) {
        return new SupervisorStats(
                rounds.get(),
                submitCommands.get(),
                pollCommands.get(),
                jobsSubmitted.get(),
                jobsEnded,
                active,
                queued,
                failedRounds.get());
    }
}
