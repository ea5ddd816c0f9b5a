package io.caravan.core.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import io.caravan.spi.CleanupResult;
import io.caravan.spi.JobBackend;
import io.caravan.spi.JobSpec;
import io.caravan.spi.JobStatus;
import io.caravan.spi.Submitted;

/**
 * The steps the remote-job routes take on one host's jobs: submit a batch with one command, poll every active job
 * with one command, act on the answer, complete the jobs that ended. The jobs and what is known of each are kept by
 * {@link HostJobs}; the steps of one host never overlap ({@link #turn}), whichever route thread takes them. A failed
 * step is counted against the host's {@link StepBudget}; when it is spent the host is given up on ({@link #giveUp}).
 * Constructing one starts nothing: {@link #start()} hands it to the routes.
 */
public final class JobSupervisor implements AutoCloseable {
    /** Jobs started per command at most, so that polls (and timeouts) keep their pace during a large submit. */
    public static final int SUBMIT_PER_ROUND = 250;

    private static final Duration EARLY = Duration.ofMillis(5);

    private final JobBackend backend;
    private final String host;
    private final SupervisorSettings settings;
    private final Clock clock;
    private final HostTurns turns;
    private final HostJobs jobs = new HostJobs();
    private final LogCollector logs;
    private final JobCompletion completion;
    private final StepBudget budget;
    private final SupervisorCounters counters = new SupervisorCounters();
    /** Held while a step talks to the host: its steps never overlap. */
    private final Object turn = new Object();

    private final AtomicBoolean polling = new AtomicBoolean();
    private final PollGrid grid = new PollGrid();
    private volatile boolean started;

    public JobSupervisor(
            JobBackend backend,
            String host,
            SupervisorSettings settings,
            CleanupOutcomes cleanupOutcomes,
            Clock clock,
            HostTurns turns) {
        this.backend = backend;
        this.host = host;
        this.settings = settings;
        this.clock = clock;
        this.logs = new LogCollector(backend, settings.logChunk(), jobs);
        this.completion = new JobCompletion(backend, host, cleanupOutcomes, jobs);
        this.budget = new StepBudget(settings.unreachable());
        this.turns = turns;
    }

    /** Hands the supervisor to the routes, which poll it when due from now on; jobs may be submitted. */
    public JobSupervisor start() {
        started = true;
        turns.attach(this);
        return this;
    }

    public String host() {
        return host;
    }

    public SupervisorSettings settings() {
        return settings;
    }

    /**
     * Shifts the host's polls by this fraction of its interval, so that hosts do not all poll at the same moment;
     * given by the routes when they attach it ({@link PollGrid}). Zero until then.
     */
    public void pollPhase(double fractionOfInterval) {
        grid.phase(fractionOfInterval);
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
    public void outcomeRecorded(String jobId) {
        jobs.outcomeRecorded(jobId);
    }

    /** Removes the directories of held jobs whose outcomes were recorded now, waiting for a step under way. */
    public void flushCleanups() {
        synchronized (turn) {
            completion.cleanup(jobs.takeRecorded());
        }
    }

    private CompletableFuture<JobOutcome> submit(JobRequest request, boolean held) {
        if (!started) {
            throw new IllegalStateException("the job supervisor of " + host + " is not started");
        }
        Watch watch = new Watch(request, held);
        if (!jobs.queue(watch)) {
            throw new IllegalStateException("the job supervisor of " + host + " is closed");
        }
        turns.queued(this);
        return watch.outcome;
    }

    /** Kills a job's process group (TERM, then KILL after its grace) at the next poll and ends it as cancelled. */
    public boolean cancel(String jobId) {
        return jobs.cancel(jobId);
    }

    public SupervisorStats stats() {
        return counters.stats(completion.ended(), jobs.activeCount(), jobs.queuedCount());
    }

    // ---- remote-job-submit

    /** Up to {@link #SUBMIT_PER_ROUND} queued jobs, taken off the queue (to {@link #submitBatch} or {@link #failBatch}). */
    public List<Watch> takeBatch() {
        return jobs.takeBatch(SUBMIT_PER_ROUND);
    }

    public boolean hasQueued() {
        return jobs.hasQueued();
    }

    /** Starts the batch with one command; a repeated submit adopts, so a redelivery never starts a job twice. */
    public void submitBatch(List<Watch> batch) {
        synchronized (turn) {
            counters.round();
            List<JobSpec> specs = batch.stream()
                    .filter(w -> !w.detached())
                    .map(w -> w.request.spec())
                    .toList();
            if (specs.isEmpty()) {
                return;
            }
            Submitted answer = backend.submitJobs(specs);
            counters.submitCommand(answer.started().size());
            jobs.submitted(batch, clock.instant());
        }
    }

    /**
     * The batch could not be submitted: its jobs end now, the host's other jobs are not concerned. Nothing was
     * started that is not adopted by a later attempt (same id) or found by the sweep.
     */
    public void failBatch(List<Watch> batch, JobFault fault, Throwable cause) {
        counters.failedRound();
        JobOutcome.Ending ending = fault == JobFault.TRANSIENT || fault == JobFault.UNREACHABLE
                ? JobOutcome.Ending.UNREACHABLE
                : JobOutcome.Ending.LOST;
        String why = (fault == JobFault.JOB ? "submitting to " : "host ") + host + ": " + JobFault.reason(cause);
        // a batch cut off mid-command may have started some jobs: only a command that answered is worth a new attempt
        batch.forEach(w -> w.outcome.complete(new JobOutcome(w.id(), ending, null, null, why, fault == JobFault.JOB)));
    }

    // ---- remote-job-poll

    /** Whether the host is due for a poll (or a cleanup); if so it is marked as being polled until {@link #endPoll}. */
    public boolean claimPoll() {
        if (jobs.closed()) {
            return false;
        }
        Instant now = clock.instant();
        boolean due = budget.open(now) && jobs.wantsPoll(grid.due(now, interval(), EARLY));
        return due && polling.compareAndSet(false, true);
    }

    public void endPoll() {
        polling.set(false);
    }

    /** One status command for every active job; the answer, to be split into per-job events. */
    public List<JobStatus> poll() {
        synchronized (turn) {
            counters.round();
            List<String> ids = jobs.pollIds();
            if (ids.isEmpty()) {
                return List.of();
            }
            Instant start = clock.instant();
            List<JobStatus> statuses = backend.poll(ids);
            counters.pollCommand();
            grid.polled(start, clock.instant());
            return statuses;
        }
    }

    /** One job's event in a poll's answer; the log size it reported is noted. Null for a job no longer watched. */
    public JobEvent event(JobStatus status) {
        return jobs.event(status);
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
            jobs.ended(completion.finish(ended, logs));
            budget.succeeded();
            completion.cleanup(jobs.takeRecorded());
        }
    }

    /**
     * A step failed for the whole host: counted against its budget, the next poll waits a jittered back-off.
     * When the budget is spent, or at once for a fatal or unreachable fault, the host is given up on.
     *
     * @return whether the host was given up on
     */
    public boolean stepFailed(JobFault fault, Throwable cause) {
        counters.failedRound();
        if (!budget.failed(fault, clock.instant())) {
            return false;
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
        List<Watch> all = jobs.takeAll();
        String why = (fault == JobFault.FATAL ? "host " + host + " refused: " : "host " + host + " unreachable: ")
                + JobFault.reason(cause);
        List<CleanupResult> owed = new ArrayList<>();
        for (Watch w : all) {
            // not retryable: the job may run on there, and a new attempt (a new id) would run it a second time
            JobOutcome outcome = new JobOutcome(w.id(), JobOutcome.Ending.UNREACHABLE, null, null, why, false);
            if (jobs.view(w).submittedAt() != null
                    && DirectoryRule.of(w.request.cleanup(), outcome, w.held) == DirectoryRule.Fate.DEBT) {
                owed.add(new CleanupResult(w.id(), false, why));
            }
            w.outcome.complete(outcome);
        }
        completion.owe(owed);
    }

    /** How often the host wants to be looked at: its jobs' shortest interval, or the setting. */
    public Duration interval() {
        return jobs.interval(settings.pollInterval());
    }

    /** Stops watching; jobs keep running on the host and are adopted by whoever submits them again. */
    @Override
    public void close() {
        jobs.close();
        turns.detach(this);
        flushCleanups(); // recorded in the last moments: their directories still go
    }
}
