package io.caravan.core.jobs;

import java.time.Duration;

import io.caravan.core.ssh.Backoff;

/**
 * @param pollInterval  the slowest a host with active jobs is looked at; jobs may ask for faster
 * @param linger        how long a round waits after the first new job, gathering others into the same submit
 * @param logChunk      log bytes read per job per command while the job runs
 * @param unreachable   back-off between failed rounds; when spent, the host's jobs end as unreachable
 */
public record SupervisorSettings(Duration pollInterval, Duration linger, int logChunk, Backoff unreachable) {

    public static SupervisorSettings defaults() {
        return new SupervisorSettings(Duration.ofSeconds(2), Duration.ofMillis(25), 256 * 1024,
                new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), 10));
    }

    public SupervisorSettings withLinger(Duration wait) {
        return new SupervisorSettings(pollInterval, wait, logChunk, unreachable);
    }

    public SupervisorSettings withPollInterval(Duration interval) {
        return new SupervisorSettings(interval, linger, logChunk, unreachable);
    }
}
