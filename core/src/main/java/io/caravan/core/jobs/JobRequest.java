package io.caravan.core.jobs;

import java.time.Duration;

import io.caravan.spi.JobSpec;

/**
 * A job to start and watch to its end.
 *
 * @param timeout      from submission; null for none. Past it the job's process group gets TERM, then KILL
 *                     after {@code killGrace}
 * @param pollInterval how often this job wants to be looked at; a host is polled at its jobs' shortest
 * @param log          where the job's log bytes go, in order, exactly as the job wrote them
 */
public record JobRequest(
        JobSpec spec,
        Duration timeout,
        Duration killGrace,
        Duration pollInterval,
        CleanupPolicy cleanup,
        LogSink log) {}
