package io.caravan.core.jobs;

/**
 * What one host's supervisor has done: the figures that show batching works (commands grow with rounds,
 * not with jobs).
 */
public record SupervisorStats(
        long rounds,
        long submitCommands,
        long pollCommands,
        long jobsSubmitted,
        long jobsEnded,
        int active,
        int queued,
        long failedRounds) {}
