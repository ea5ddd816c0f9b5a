package io.caravan.core.jobs;

import java.time.Duration;

import io.caravan.core.ssh.Backoff;
import io.caravan.core.workflow.Durations;

/**
 * @param pollInterval  the slowest a host with active jobs is looked at; jobs may ask for faster
 * @param linger        how long a round waits after the first new job, gathering others into the same submit
 * @param logChunk      log bytes read per job per command while the job runs
 * @param unreachable   back-off between failed rounds; when spent, the host's jobs end as unreachable
 */
public record SupervisorSettings(Duration pollInterval, Duration linger, int logChunk, Backoff unreachable) {

    public static SupervisorSettings defaults() {
        return new SupervisorSettings(
                Duration.ofSeconds(2),
                Duration.ofMillis(25),
                256 * 1024,
                new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), 10));
    }

    /**
     * The defaults, with the host's reconnect budget (the back-off between failed rounds; when spent, the host is
     * given up on) taken from the {@code caravan.jobs.reconnect.*} system properties when they are set.
     */
    public static SupervisorSettings fromSystemProperties() {
        SupervisorSettings d = defaults();
        return new SupervisorSettings(
                d.pollInterval(), d.linger(), d.logChunk(), budget("caravan.jobs.reconnect", d.unreachable()));
    }

    /**
     * A back-off read from the system properties {@code PREFIX.attempts}, {@code PREFIX.first-delay} and
     * {@code PREFIX.max-delay} (durations as in a workflow: {@code 300ms}, {@code 5s}); each one not set keeps its default.
     */
    public static Backoff budget(String prefix, Backoff defaults) {
        String first = System.getProperty(prefix + ".first-delay");
        String max = System.getProperty(prefix + ".max-delay");
        String attempts = System.getProperty(prefix + ".attempts");
        return new Backoff(
                first == null ? defaults.base() : Durations.parse(first),
                max == null ? defaults.cap() : Durations.parse(max),
                attempts == null ? defaults.maxAttempts() : Integer.parseInt(attempts.strip()));
    }

    public SupervisorSettings withLinger(Duration wait) {
        return new SupervisorSettings(pollInterval, wait, logChunk, unreachable);
    }

    public SupervisorSettings withPollInterval(Duration interval) {
        return new SupervisorSettings(interval, linger, logChunk, unreachable);
    }
}
