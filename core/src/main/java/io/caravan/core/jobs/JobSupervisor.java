package io.caravan.core.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import io.caravan.spi.CleanupResult;
import io.caravan.spi.JobBackend;
import io.caravan.spi.JobSpec;
import io.caravan.spi.JobStatus;

/**
 * The state of every job on one host (queued, active, held) and the steps the remote-job routes take on it:
 * submit a batch with one command, poll every active job with one command, act on the answer, complete the
 * jobs that ended. The steps of one host never overlap ({@link #turn}): one writer of the host's state at a
 * time, whichever route thread takes the step. A failed step is counted against the host's budget; when it
 * is spent the host is given up on ({@link #giveUp}).
 * <p>Longer than most classes here on purpose: the host's state and every step that writes it stay together, so
 * that one can see each write holds the host's turn.
 */
public final class JobSupervisor implements AutoCloseable {
    /** Jobs started per command at most, so that polls (and timeouts) keep their pace during a large submit. */
    public static final int SUBMIT_PER_ROUND = 250;
    private static final Duration EARLY = Duration.ofMillis(5);

    private final JobBackend backend;
    private final String host;
    private final SupervisorSettings settings;
    private final Clock clock;
    private final LogCollector logs;
    private final JobCompletion completion;
    private final HostTurns turns;
    private final Deque<Watch> queued = new ArrayDeque<>();
    private final Map<String, Watch> active = new LinkedHashMap<>();
    private final Set<String> awaitingRecord = new HashSet<>();
    private final List<String> recordedCleanups = new ArrayList<>();
    /** Held while a step talks to the host: the host's single writer. */
    private final Object turn = new Object();
    private final AtomicBoolean polling = new AtomicBoolean();
    private volatile boolean closed;
    private int failures;
    private Instant retryAt = Instant.EPOCH;
    private Instant lastPoll = Instant.EPOCH;
    private final AtomicLong rounds = new AtomicLong();
    private final AtomicLong submitCommands = new AtomicLong();
    private final AtomicLong pollCommands = new AtomicLong();
    private final AtomicLong jobsSubmitted = new AtomicLong();
    private final AtomicLong failedRounds = new AtomicLong();

    public JobSupervisor(JobBackend backend, String host, SupervisorSettings settings, CleanupOutcomes cleanupOutcomes,
                         Clock clock, HostTurns turns) {
        this.backend = backend;
        this.host = host;
        this.settings = settings;
        this.clock = clock;
        this.logs = new LogCollector(backend, settings.logChunk());
        this.completion = new JobCompletion(backend, host, cleanupOutcomes);
        this.turns = turns;
        turns.attach(this);
    }

    public String host() {
        return host;
    }

    public SupervisorSettings settings() {
        return settings;
    }

    /** Queues a job for the next submit; the future completes when the job has ended and its log is in. */
    public CompletableFuture<JobOutcome> submit(JobRequest request) {
        return submit(request, false);
    }

    /**
     * Like {@link #submit(JobRequest)}, but the job's directory stays after it ends until {@link #outcomeRecorded}: an
     * engine that dies between the job's end and recording its outcome must find the job again, not start it anew.
     */
    public CompletableFuture<JobOutcome> submitHeld(JobRequest request) {
        return submit(request, true);
    }

    /** The held job's outcome is recorded: its directory goes (as its cleanup policy said) at the host's next turn. */
    public synchronized void outcomeRecorded(String jobId) {
        if (awaitingRecord.remove(jobId)) {
            recordedCleanups.add(jobId);
        }
    }

    /** Removes the directories of held jobs whose outcomes were recorded now, waiting for a step under way. */
    public void flushCleanups() {
        synchronized (turn) {
            completion.cleanup(takeRecorded());
        }
    }

    private synchronized List<String> takeRecorded() {
        List<String> ids = new ArrayList<>(recordedCleanups);
        recordedCleanups.clear();
        return ids;
    }

    private CompletableFuture<JobOutcome> submit(JobRequest request, boolean held) {
        Watch watch = new Watch(request, held);
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the job supervisor of " + host + " is closed");
            }
            queued.add(watch);
        }
        turns.queued(this);
        return watch.outcome;
    }

    /** Kills a job's process group (TERM, then KILL after its grace) at the next poll and ends it as cancelled. */
    public synchronized boolean cancel(String jobId) {
        Watch w = active.get(jobId);
        if (w == null) {
            w = queued.stream().filter(q -> q.id().equals(jobId)).findFirst().orElse(null);
        }
        if (w == null) {
            return false;
        }
        w.cancelRequested = true;
        return true;
    }

    public synchronized SupervisorStats stats() {
        return new SupervisorStats(rounds.get(), submitCommands.get(), pollCommands.get(), jobsSubmitted.get(),
                completion.ended(), active.size(), queued.size(), failedRounds.get());
    }

    // ---- remote-job-submit

    /** Up to {@link #SUBMIT_PER_ROUND} queued jobs, taken off the queue (to {@link #submitBatch} or {@link #failBatch}). */
    public synchronized List<Watch> takeBatch() {
        List<Watch> taken = new ArrayList<>();
        for (Watch w; taken.size() < SUBMIT_PER_ROUND && (w = queued.poll()) != null; ) {
            if (w.detached()) {
                continue;
            }
            if (w.cancelRequested) {
                w.outcome.complete(new JobOutcome(w.id(), JobOutcome.Ending.CANCELLED, null, null, "cancelled before it started"));
                continue;
            }
            taken.add(w);
        }
        return taken;
    }

    public synchronized boolean hasQueued() {
        return !queued.isEmpty();
    }

    /** Starts the batch with one command; a repeated submit adopts, so a redelivery never starts a job twice. */
    public void submitBatch(List<Watch> batch) {
        synchronized (turn) {
            rounds.incrementAndGet();
            List<JobSpec> specs = batch.stream().filter(w -> !w.detached()).map(w -> w.request.spec()).toList();
            if (specs.isEmpty()) {
                return;
            }
            io.caravan.spi.Submitted answer = backend.submitJobs(specs);
            submitCommands.incrementAndGet();
            jobsSubmitted.addAndGet(answer.started().size()); // adopted jobs were started before: not counted again
            Instant now = clock.instant();
            synchronized (this) {
                batch.stream().filter(w -> !w.detached()).forEach(w -> {
                    w.submitted(now);
                    active.put(w.id(), w);
                });
            }
        }
    }

    /**
     * The batch could not be submitted: its jobs end now, the host's other jobs are not concerned. Nothing was
     * started that is not adopted by a later attempt (same id) or found by the sweep.
     */
    public void failBatch(List<Watch> batch, JobFault fault, Throwable cause) {
        failedRounds.incrementAndGet();
        JobOutcome.Ending ending = fault == JobFault.TRANSIENT || fault == JobFault.UNREACHABLE
                ? JobOutcome.Ending.UNREACHABLE : JobOutcome.Ending.LOST;
        String why = (fault == JobFault.JOB ? "submitting to " : "host ") + host + ": " + JobFault.reason(cause);
        // a batch cut off mid-command may have started some jobs: only a command that answered is worth a new attempt
        batch.forEach(w -> w.outcome.complete(new JobOutcome(w.id(), ending, null, null, why, fault == JobFault.JOB)));
    }

    // ---- remote-job-poll

    /** Whether the host is due for a poll (or a cleanup); if so it is marked as being polled until {@link #endPoll}. */
    public boolean claimPoll() {
        if (closed) {
            return false;
        }
        Instant now = clock.instant();
        boolean due;
        synchronized (this) {
            due = !now.isBefore(retryAt) && ((!active.isEmpty() && (pollDue(now) || anyCancelRequested()))
                    || !recordedCleanups.isEmpty());
        }
        return due && polling.compareAndSet(false, true);
    }

    public void endPoll() {
        polling.set(false);
    }

    /** One status command for every active job; the answer, to be split into per-job events. */
    public List<JobStatus> poll() {
        synchronized (turn) {
            rounds.incrementAndGet();
            List<String> ids;
            synchronized (this) {
                active.values().removeIf(Watch::detached);
                ids = List.copyOf(active.keySet());
            }
            if (ids.isEmpty()) {
                return List.of();
            }
            List<JobStatus> statuses = backend.poll(ids);
            pollCommands.incrementAndGet();
            lastPoll = clock.instant();
            return statuses;
        }
    }

    /** One job's event in a poll's answer; the log size it reported is noted. Null for a job no longer watched. */
    public synchronized JobEvent event(JobStatus status) {
        Watch w = active.get(status.id());
        if (w == null) {
            return null;
        }
        w.size = Math.max(w.size, status.logSize());
        JobEvent.Kind kind = switch (status.state()) {
            case RUNNING -> w.size > w.offset ? JobEvent.Kind.LOG_GROWN : JobEvent.Kind.RUNNING;
            case EXITED -> JobEvent.Kind.ENDED;
            case LOST, MISSING -> JobEvent.Kind.LOST;
        };
        return new JobEvent(kind, w, status);
    }

    /** Signals running jobs past their timeout or cancelled, and reads grown logs: one command each at most. */
    public void actOnRunning(List<JobEvent> running) {
        synchronized (turn) {
            List<Watch> watches = running.stream().map(JobEvent::watch).toList();
            completion.signal(watches, clock.instant());
            logs.collectGrowth(watches);
        }
    }

    // ---- remote-job-complete

    /** Reads the rest of the logs of jobs that ended, records their outcomes and removes or holds their directories. */
    public void complete(List<JobEvent> ended) {
        synchronized (turn) {
            List<Watch> done = completion.finish(ended, logs, this::awaitRecord);
            synchronized (this) {
                done.forEach(w -> active.remove(w.id()));
                failures = 0;
            }
            completion.cleanup(takeRecorded());
        }
    }

    private synchronized void awaitRecord(String jobId) {
        awaitingRecord.add(jobId);
    }

    /**
     * A step failed for the whole host: counted against its budget, the next poll waits a jittered back-off.
     * When the budget is spent, or at once for a fatal or unreachable fault, the host is given up on.
     *
     * @return whether the host was given up on
     */
    public boolean stepFailed(JobFault fault, Throwable cause) {
        failedRounds.incrementAndGet();
        synchronized (this) {
            failures++;
            boolean spent = (fault != JobFault.TRANSIENT && fault != JobFault.JOB) || settings.unreachable().exhausted(failures);
            if (!spent) {
                retryAt = clock.instant().plus(settings.unreachable().delayBeforeRetry(failures));
                return false;
            }
            failures = 0;
            retryAt = clock.instant().plus(settings.unreachable().delayBeforeRetry(1));
        }
        giveUp(fault, cause);
        return true;
    }

    /**
     * Ends every job of the host now, naming the host and the reason. The jobs may still be running there: their
     * directories become cleanup debts (removed once the job has ended and the host answers), and their attempts
     * are not retried, so no retry ever runs a job twice.
     */
    private void giveUp(JobFault fault, Throwable cause) {
        List<Watch> all;
        synchronized (this) {
            all = new ArrayList<>(active.values());
            all.addAll(queued);
            active.clear();
            queued.clear();
        }
        String why = (fault == JobFault.FATAL ? "host " + host + " refused: " : "host " + host + " unreachable: ")
                + JobFault.reason(cause);
        List<CleanupResult> owed = new ArrayList<>();
        for (Watch w : all) {
            // not retryable: the job may run on there, and a new attempt (a new id) would run it a second time
            JobOutcome outcome = new JobOutcome(w.id(), JobOutcome.Ending.UNREACHABLE, null, null, why, false);
            if (w.submittedAt != null && DirectoryRule.of(w.request.cleanup(), outcome, w.held) == DirectoryRule.Fate.DEBT) {
                owed.add(new CleanupResult(w.id(), false, why));
            }
            w.outcome.complete(outcome);
        }
        completion.owe(owed);
    }

    private boolean pollDue(Instant now) {
        return !now.plus(EARLY).isBefore(lastPoll.plus(interval()));
    }

    /** How often the host wants to be looked at: its jobs' shortest interval, or the setting. */
    public synchronized Duration interval() {
        return Stream.concat(Stream.of(settings.pollInterval()),
                        active.values().stream().map(w -> w.request.pollInterval()).filter(Objects::nonNull))
                .min(Duration::compareTo).orElseThrow();
    }

    private boolean anyCancelRequested() {
        return active.values().stream().anyMatch(w -> w.cancelRequested && !w.signalled());
    }

    /** Stops watching; jobs keep running on the host and are adopted by whoever submits them again. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        turns.detach(this);
        flushCleanups(); // recorded in the last moments: their directories still go
    }
}
