package io.caravan.core.jobs;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

import io.caravan.core.ssh.SshTarget;
import io.caravan.core.ssh.SshTransport;
import io.caravan.spi.JobBackend;
import io.caravan.spi.posix.ShellRunner;

/** One {@link JobSupervisor} per job place, created on first use, all on one pooled transport. */
public final class JobSupervisors implements AutoCloseable {
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);

    private final Function<JobPlace, ? extends JobBackend> backends;
    private final SupervisorSettings settings;
    private final BiFunction<JobPlace, JobBackend, CleanupOutcomes> cleanupOutcomes;
    private final Clock clock;
    private final HostTurns turns;
    private final Map<JobPlace, JobSupervisor> supervisors = new ConcurrentHashMap<>();

    /**
     * @param backends        the backend of each place (created once per place)
     * @param cleanupOutcomes where each place's undeletable job directories go (retries, then debts)
     * @param turns           what takes each host's steps (the remote-job routes)
     */
    public JobSupervisors(
            Function<JobPlace, ? extends JobBackend> backends,
            SupervisorSettings settings,
            BiFunction<JobPlace, JobBackend, CleanupOutcomes> cleanupOutcomes,
            Clock clock,
            HostTurns turns) {
        this.turns = turns;
        this.backends = backends;
        this.settings = settings;
        this.cleanupOutcomes = cleanupOutcomes;
        this.clock = clock;
    }

    /** Jobs on POSIX hosts over the pooled SSH transport: {@code remote_job}. */
    public static JobSupervisors overSsh(
            SshTransport transport,
            SupervisorSettings settings,
            BiFunction<JobPlace, JobBackend, CleanupOutcomes> cleanupOutcomes,
            Clock clock,
            HostTurns turns) {
        return new JobSupervisors(backends(transport), settings, cleanupOutcomes, clock, turns);
    }

    public JobSupervisor supervisor(JobPlace place) {
        return supervisors.computeIfAbsent(place, p -> {
            JobBackend backend = backends.apply(p);
            return new JobSupervisor(backend, p.label(), settings, cleanupOutcomes.apply(p, backend), clock, turns)
                    .start();
        });
    }

    /** A shell on a host over the transport, with the protocol's command timeout: what plugins' backends get. */
    public static ShellRunner shell(SshTransport transport, SshTarget target) {
        return PosixSshJobBackend.runner(transport, target, COMMAND_TIMEOUT);
    }

    /** Backends on a transport, for code that needs them without supervisors (retrying debts, sweeping). */
    public static Function<JobPlace, PosixSshJobBackend> backends(SshTransport transport) {
        return place -> new PosixSshJobBackend(transport, place.target(), place.base(), COMMAND_TIMEOUT);
    }

    /** Every recorded held job's directory removed (or owed) now: what a run's report counts must have happened. */
    public void flushCleanups() {
        supervisors.values().forEach(JobSupervisor::flushCleanups);
    }

    public Map<JobPlace, SupervisorStats> stats() {
        Map<JobPlace, SupervisorStats> stats = new LinkedHashMap<>();
        supervisors.forEach((place, s) -> stats.put(place, s.stats()));
        return stats;
    }

    @Override
    public void close() {
        supervisors.values().forEach(JobSupervisor::close);
        supervisors.clear();
    }
}
