package io.caravan.core.jobs;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.caravan.core.ssh.SshTransport;

/** One {@link JobSupervisor} per job place, created on first use, all on one pooled transport. */
public final class JobHosts implements AutoCloseable {
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);

    private final SshTransport transport;
    private final SupervisorSettings settings;
    private final Function<JobPlace, CleanupFailures> cleanupFailures;
    private final Clock clock;
    private final Map<JobPlace, JobSupervisor> supervisors = new ConcurrentHashMap<>();

    /** @param cleanupFailures where each place's undeletable job directories go (retries, then debts) */
    public JobHosts(SshTransport transport, SupervisorSettings settings, Function<JobPlace, CleanupFailures> cleanupFailures,
                    Clock clock) {
        this.transport = transport;
        this.settings = settings;
        this.cleanupFailures = cleanupFailures;
        this.clock = clock;
    }

    public JobSupervisor supervisor(JobPlace place) {
        return supervisors.computeIfAbsent(place, p -> new JobSupervisor(backend(p), p.target().hostAndPort(), settings,
                cleanupFailures.apply(p), clock));
    }

    /** A backend for one-off work on a place (retrying a debt, sweeping) outside any supervisor. */
    public PosixSshJobBackend backend(JobPlace place) {
        return backends(transport).apply(place);
    }

    /** Backends on a transport, for code that needs them without supervisors. */
    public static Function<JobPlace, PosixSshJobBackend> backends(SshTransport transport) {
        return place -> new PosixSshJobBackend(transport, place.target(), place.base(), COMMAND_TIMEOUT);
    }

    public Map<JobPlace, SupervisorStats> stats() {
        Map<JobPlace, SupervisorStats> stats = new java.util.LinkedHashMap<>();
        supervisors.forEach((place, s) -> stats.put(place, s.stats()));
        return stats;
    }

    public SshTransport transport() {
        return transport;
    }

    @Override
    public void close() {
        supervisors.values().forEach(JobSupervisor::close);
        supervisors.clear();
    }
}
