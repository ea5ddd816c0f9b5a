package io.caravan.core.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.caravan.core.ssh.SshFailure;
import io.caravan.spi.JobBackend;
import io.caravan.spi.JobSpec;
import io.caravan.spi.JobStatus;

/**
 * Watches every job of one host with one thread: each round submits what is queued (one command for many
 * jobs), then, when due, polls all active jobs with one command, collects grown logs, signals jobs past
 * their timeout, completes ended jobs and cleans up after them. A round that fails (host down, sshd
 * restarting) is retried after a jittered back-off; when the budget is spent the host's jobs end as
 * unreachable rather than waiting forever.
 */
public final class JobSupervisor implements AutoCloseable {
    /** Jobs started per round at most, so that polls (and timeouts) keep their pace during a large submit. */
    static final int SUBMIT_PER_ROUND = 250;
    private static final Duration EARLY = Duration.ofMillis(5);

    private final JobBackend backend;
    private final String host;
    private final SupervisorSettings settings;
    private final Clock clock;
    private final LogCollector logs;
    private final JobCompletion completion;
    private final Deque<Watch> queued = new ArrayDeque<>();
    private final Map<String, Watch> active = new LinkedHashMap<>();
    private final java.util.Set<String> awaitingRelease = new java.util.HashSet<>();
    private final List<String> releasedCleanups = new ArrayList<>();
    private final Object cleaning = new Object();
    private final Semaphore wake = new Semaphore(0);
    private final Thread thread;
    private volatile boolean closed;
    private int failures;
    private Instant lastPoll = Instant.EPOCH;
    private final AtomicLong rounds = new AtomicLong();
    private final AtomicLong submitCommands = new AtomicLong();
    private final AtomicLong pollCommands = new AtomicLong();
    private final AtomicLong jobsSubmitted = new AtomicLong();
    private final AtomicLong failedRounds = new AtomicLong();

    public JobSupervisor(JobBackend backend, String host, SupervisorSettings settings, CleanupOutcomes cleanupOutcomes,
                         Clock clock) {
        this.backend = backend;
        this.host = host;
        this.settings = settings;
        this.clock = clock;
        this.logs = new LogCollector(backend, settings.logChunk());
        this.completion = new JobCompletion(backend, host, cleanupOutcomes);
        this.thread = new Thread(this::loop, "caravan-jobs-" + host);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a job for the next round; the future completes when the job has ended and its log is in. */
    public CompletableFuture<JobOutcome> submit(JobRequest request) {
        return submit(request, false);
    }

    /**
     * Like {@link #submit(JobRequest)}, but the job's directory stays after it ends until {@link #release}: an
     * engine that dies between the job's end and recording its outcome must find the job again, not start it anew.
     */
    public CompletableFuture<JobOutcome> submitHeld(JobRequest request) {
        return submit(request, true);
    }

    /** The held job's outcome is recorded: its directory goes (as its cleanup policy said) in the next round. */
    public void release(String jobId) {
        synchronized (this) {
            if (!awaitingRelease.remove(jobId)) {
                return;
            }
            releasedCleanups.add(jobId);
        }
        wake.release();
    }

    /** Removes the directories of released jobs now, waiting for a removal already under way. */
    public void flushCleanups() {
        synchronized (cleaning) {
            completion.cleanup(takeReleased());
        }
    }

    private synchronized List<String> takeReleased() {
        List<String> ids = new ArrayList<>(releasedCleanups);
        releasedCleanups.clear();
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
        wake.release();
        return watch.outcome;
    }

    /** Kills a job's process group (TERM, then KILL after its grace) and ends it as cancelled. */
    public synchronized boolean cancel(String jobId) {
        Watch w = active.get(jobId);
        if (w == null) {
            w = queued.stream().filter(q -> q.id().equals(jobId)).findFirst().orElse(null);
        }
        if (w == null) {
            return false;
        }
        w.cancelRequested = true;
        wake.release();
        return true;
    }

    public synchronized SupervisorStats stats() {
        return new SupervisorStats(rounds.get(), submitCommands.get(), pollCommands.get(), jobsSubmitted.get(),
                completion.ended(), active.size(), queued.size(), failedRounds.get());
    }

    private void loop() {
        Duration pause = Duration.ZERO;
        while (!closed) {
            try {
                if (wake.tryAcquire(pause.toNanos(), TimeUnit.NANOSECONDS)) {
                    Thread.sleep(settings.linger().toMillis()); // let a burst of submits join one command
                }
                wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
            if (!closed) {
                pause = round();
            }
        }
    }

    /** One round; how long to wait before the next. */
    private Duration round() {
        rounds.incrementAndGet();
        List<Watch> toSubmit = takeQueued();
        try {
            if (!toSubmit.isEmpty()) {
                submitNow(toSubmit);
            }
            toSubmit = List.of();
            if (!active.isEmpty() && (pollDue() || anyCancelRequested())) {
                pollNow();
            }
            flushCleanups();
            failures = 0;
            if (hasQueued()) {
                return Duration.ZERO; // a large submit goes out over several rounds, with polls between them
            }
            return active.isEmpty() ? Duration.ofMinutes(1) : nextPoll();
        } catch (RuntimeException e) {
            failedRounds.incrementAndGet();
            requeue(toSubmit);
            if (e instanceof SshFailure f && f.fatal()) {
                failures = 0; // classified where it was caught: another round would fail the same way
                giveUp(f);
                return Duration.ofMinutes(1);
            }
            failures++;
            if (settings.unreachable().exhausted(failures)) {
                failures = 0;
                giveUp(e);
                return Duration.ofMinutes(1);
            }
            return settings.unreachable().delayBeforeRetry(failures);
        }
    }

    private synchronized boolean hasQueued() {
        return !queued.isEmpty();
    }

    private synchronized List<Watch> takeQueued() {
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

    private synchronized void requeue(List<Watch> watches) {
        for (int i = watches.size() - 1; i >= 0; i--) {
            queued.addFirst(watches.get(i));
        }
    }

    private void submitNow(List<Watch> watches) {
        List<JobSpec> specs = watches.stream().map(w -> w.request.spec()).toList();
        backend.submit(specs); // a repeated submit adopts: safe to redo after a failure
        submitCommands.incrementAndGet();
        jobsSubmitted.addAndGet(watches.size());
        Instant now = clock.instant();
        synchronized (this) {
            watches.forEach(w -> {
                w.submitted(now);
                active.put(w.id(), w);
            });
        }
    }

    private void pollNow() {
        synchronized (this) {
            active.values().removeIf(Watch::detached);
        }
        List<Watch> watching = List.copyOf(active.values());
        if (watching.isEmpty()) {
            return;
        }
        List<JobStatus> statuses = backend.poll(watching.stream().map(Watch::id).toList());
        pollCommands.incrementAndGet();
        lastPoll = clock.instant();
        List<Watch> ended = completion.settle(statuses, active, logs, clock.instant(), this::awaitRelease);
        synchronized (this) {
            ended.forEach(w -> active.remove(w.id()));
        }
    }

    private synchronized void awaitRelease(String jobId) {
        awaitingRelease.add(jobId);
    }

    /** Due, or due within a few milliseconds: a timed wait may end a hair early, and must not cause a spin. */
    private boolean pollDue() {
        return !clock.instant().plus(EARLY).isBefore(lastPoll.plus(interval()));
    }

    private Duration nextPoll() {
        Duration left = Duration.between(clock.instant(), lastPoll.plus(interval()));
        return left.isNegative() ? Duration.ZERO : left;
    }

    private synchronized Duration interval() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(settings.pollInterval()),
                active.values().stream().map(w -> w.request.pollInterval()).filter(java.util.Objects::nonNull))
                .min(Duration::compareTo).orElseThrow();
    }

    private synchronized boolean anyCancelRequested() {
        return active.values().stream().anyMatch(w -> w.cancelRequested && !w.signalled());
    }

    /** Ends every job of the host; after a fatal SSH failure they end with its message and are not to be retried. */
    private synchronized void giveUp(RuntimeException cause) {
        boolean fatal = cause instanceof SshFailure f && f.fatal();
        String why = fatal ? cause.getMessage() : "host " + host + " unreachable: " + cause.getMessage();
        List<Watch> all = new ArrayList<>(active.values());
        all.addAll(queued);
        active.clear();
        queued.clear();
        all.forEach(w -> w.outcome.complete(new JobOutcome(w.id(), JobOutcome.Ending.UNREACHABLE, null, null, why, !fatal)));
    }

    /** Stops watching; jobs keep running on the host and are adopted by whoever submits them again. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        wake.release();
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flushCleanups(); // released in the last moments: their directories still go
    }
}
