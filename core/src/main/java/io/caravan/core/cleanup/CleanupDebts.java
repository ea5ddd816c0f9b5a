package io.caravan.core.cleanup;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

import io.caravan.core.jobs.JobPlace;
import io.caravan.core.ssh.Backoff;
import io.caravan.core.ssh.HostAndPort;
import io.caravan.core.ssh.HostKeyPolicy;
import io.caravan.core.ssh.Secret;
import io.caravan.core.ssh.SshTarget;
import io.caravan.core.storage.CleanupDebt;
import io.caravan.core.storage.DebtStore;
import io.caravan.core.storage.OwedDirectory;
import io.caravan.spi.CleanupResult;
import io.caravan.spi.JobBackend;
import io.caravan.spi.JobDirectory;

/**
 * Job directories that could not be removed: recorded as debts, retried with growing delays (1 min doubling
 * to 1 h, jittered) until they are gone. A retry that finds the job running again leaves the directory
 * alone: the backend never removes a running job's directory.
 */
public final class CleanupDebts {
    static final Backoff LATER = new Backoff(Duration.ofMinutes(1), Duration.ofHours(1), Integer.MAX_VALUE);

    private final DebtStore store;
    private final Function<JobPlace, JobBackend> backends;
    private final Clock clock;
    private final Predicate<String> mine;

    public CleanupDebts(DebtStore store, Function<JobPlace, JobBackend> backends, Clock clock) {
        this(store, backends, clock, host -> true);
    }

    /** @param mine the hosts ({@code host:port}) whose debts this process retries on its schedule: in a cluster, those it owns or may take */
    public CleanupDebts(DebtStore store, Function<JobPlace, JobBackend> backends, Clock clock, Predicate<String> mine) {
        this.store = store;
        this.backends = backends;
        this.clock = clock;
        this.mine = mine;
    }

    /** What a retry did: directories removed, and those still owed as "host:base/job: why". */
    public record Settlement(int removed, List<String> stillOwed) {}

    public void record(JobPlace place, List<CleanupResult> failed) {
        Instant now = clock.instant();
        for (CleanupResult r : failed) {
            store.record(directory(place, r.id()), null, r.reason(), now.plus(LATER.delayBeforeRetry(1)), now);
        }
    }

    /** The jobs' directories are gone: what was owed or under way for them is settled. */
    public void removed(JobPlace place, List<String> jobIds) {
        store.removed(jobIds.stream().map(id -> directory(place, id)).toList());
    }

    /** The debts of today: removals under way within their grace are not debts. */
    public List<CleanupDebt> all() {
        return store.all(clock.instant());
    }

    public int count() {
        return store.count(clock.instant());
    }

    /** The debts that came due on hosts of this process; {@code cleanup retry} tries any debt it is given. */
    public Settlement retryDue() {
        return retryMine(store.due(clock.instant()));
    }

    /** The due debts of one run's jobs: a resumed run's report counts what its dead engine left, settled if it can be. */
    public Settlement retryDueOfRun(String runId) {
        return retryMine(store.dueOfRun(runId, clock.instant()));
    }

    private Settlement retryMine(List<CleanupDebt> due) {
        return retry(due.stream()
                .filter(d -> mine.test(HostAndPort.format(d.host(), d.port())))
                .toList());
    }

    /** Where a job's directory is, as a debt records it: keys by path, never their contents. */
    public static OwedDirectory directory(JobPlace place, String jobId) {
        SshTarget t = place.target();
        return new OwedDirectory(
                t.host(),
                t.port(),
                t.user(),
                text(t.identity()),
                text(t.knownHosts()),
                t.hostKeyPolicy().configName(),
                place.base(),
                jobId,
                t.passphrase() == null ? null : t.passphrase().envName());
    }

    /** Tries the given debts now, one command per place. */
    public Settlement retry(List<CleanupDebt> debts) {
        Map<JobPlace, List<CleanupDebt>> byPlace = new LinkedHashMap<>();
        debts.forEach(
                d -> byPlace.computeIfAbsent(place(d), p -> new ArrayList<>()).add(d));
        int removed = 0;
        List<String> owed = new ArrayList<>();
        for (Map.Entry<JobPlace, List<CleanupDebt>> e : byPlace.entrySet()) {
            Map<String, String> failures = new LinkedHashMap<>();
            try {
                backends.apply(e.getKey())
                        .cleanup(e.getValue().stream().map(CleanupDebt::jobId).toList())
                        .forEach(r -> failures.put(r.id(), r.removed() ? null : r.reason()));
            } catch (RuntimeException ex) {
                e.getValue().forEach(d -> failures.put(d.jobId(), ex.getMessage()));
            }
            for (CleanupDebt d : e.getValue()) {
                String why = failures.getOrDefault(d.jobId(), "no answer for this job");
                if (failures.containsKey(d.jobId()) && why == null) {
                    store.settle(d.id());
                    removed++;
                } else {
                    store.failedAgain(d.id(), why, clock.instant().plus(LATER.delayBeforeRetry(d.attempts() + 2)));
                    owed.add(HostAndPort.format(d.host(), d.port()) + ":" + JobDirectory.path(d.baseDir(), d.jobId())
                            + ": " + why);
                }
            }
        }
        return new Settlement(removed, owed);
    }

    /**
     * Where a debt's directory is; keys are referred to by path, as they were when the debt was recorded, and a
     * passphrase by the environment variable that holds it (read by whichever engine retries the debt).
     */
    public static JobPlace place(CleanupDebt debt) {
        OwedDirectory d = debt.directory();
        SshTarget target = SshTarget.of(d.user(), d.host(), d.port())
                .withIdentity(
                        d.identityPath() == null ? null : Path.of(d.identityPath()), Secret.fromEnv(d.passphraseEnv()));
        if (d.knownHostsPath() != null) {
            target = target.withKnownHosts(Path.of(d.knownHostsPath()), HostKeyPolicy.parse(d.hostKeyPolicy()));
        }
        return new JobPlace(target, d.baseDir());
    }

    private static String text(Path path) {
        return path == null ? null : path.toString();
    }
}
