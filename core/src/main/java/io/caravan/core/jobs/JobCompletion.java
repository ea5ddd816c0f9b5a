package io.caravan.core.jobs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import io.caravan.spi.CleanupResult;
import io.caravan.spi.JobBackend;
import io.caravan.spi.JobStatus;

/**
 * Acts on one poll's answer: signals jobs past their timeout or cancelled (TERM, then KILL after the
 * grace), reads grown logs, and for jobs that ended reads the rest of the log and their outputs, removes
 * their directories as their cleanup policy says (a held job's once its outcome is recorded), then completes them.
 */
final class JobCompletion {
    private final JobBackend backend;
    private final String host;
    private final CleanupOutcomes cleanupOutcomes;
    private final HostJobs jobs;
    private final AtomicLong ended = new AtomicLong();

    JobCompletion(JobBackend backend, String host, CleanupOutcomes cleanupOutcomes, HostJobs jobs) {
        this.backend = backend;
        this.host = host;
        this.cleanupOutcomes = cleanupOutcomes;
        this.jobs = jobs;
    }

    long ended() {
        return ended.get();
    }

    /**
     * Completes the jobs that ended: reads the rest of their logs and their outputs, removes or holds their
     * directories as {@link DirectoryRule} says, then delivers their outcomes. A held job whose directory is to go
     * awaits its record before its outcome is delivered, so an {@code outcomeRecorded} that follows at once finds it.
     */
    List<Watch> finish(List<JobEvent> ended, LogCollector logs) {
        List<Watch> done = ended.stream().map(JobEvent::watch).toList();
        Map<Watch, JobStatus> endings = new HashMap<>();
        ended.forEach(e -> endings.put(e.watch(), e.status()));
        logs.collectRest(done);
        List<String> exited = done.stream()
                .filter(w -> endings.get(w).state() == JobStatus.JobState.EXITED)
                .map(Watch::id)
                .toList();
        Map<String, String> outputs = exited.isEmpty() ? Map.of() : backend.outputs(exited);
        List<JobOutcome> outcomes = new ArrayList<>(done.stream()
                .map(w -> outcome(jobs.view(w), endings.get(w), outputs.get(w.id())))
                .toList());
        // cleanup first: when a job is seen as ended, its directory is gone or owed, never merely pending
        List<String> removeNow = new ArrayList<>();
        for (int i = 0; i < done.size(); i++) {
            Watch w = done.get(i);
            switch (DirectoryRule.of(w.request.cleanup(), outcomes.get(i), w.held)) {
                case AFTER_RECORDING -> {
                    jobs.awaitRecord(w.id());
                    outcomes.set(i, outcomes.get(i).heldUntilRecorded());
                }
                case REMOVE_NOW -> removeNow.add(w.id());
                default -> {}
            }
        }
        cleanup(removeNow);
        for (int i = 0; i < done.size(); i++) {
            this.ended.incrementAndGet();
            done.get(i).outcome.complete(outcomes.get(i));
        }
        return done;
    }

    /** Directories left on a host given up on: retried by the cleanup route, then debts. */
    void owe(List<CleanupResult> owed) {
        if (!owed.isEmpty()) {
            cleanupOutcomes.failed(owed);
        }
    }

    void signal(List<Watch> running, Instant now) {
        List<String> term = new ArrayList<>();
        List<String> kill = new ArrayList<>();
        for (Watch w : running) {
            JobView v = jobs.view(w);
            boolean due = v.cancelRequested() || (v.deadline() != null && now.isAfter(v.deadline()));
            if (due && !v.signalled()) {
                jobs.termSent(w, now);
                term.add(w.id());
            } else if (v.signalled()
                    && !v.killSent()
                    && !now.isBefore(v.termSentAt().plus(v.request().killGrace()))) {
                jobs.killSent(w);
                kill.add(w.id());
            }
        }
        if (!term.isEmpty()) {
            backend.cancel(term, false);
        }
        if (!kill.isEmpty()) {
            backend.cancel(kill, true);
        }
    }

    private JobOutcome outcome(JobView w, JobStatus s, String outputs) {
        if (w.signalled()) {
            JobOutcome.Ending ending = w.cancelRequested() ? JobOutcome.Ending.CANCELLED : JobOutcome.Ending.TIMED_OUT;
            String why = w.cancelRequested()
                    ? "cancelled; process group killed"
                    : "timed out after " + w.request().timeout() + "; process group killed";
            return new JobOutcome(w.id(), ending, s.exitCode(), outputs, why);
        }
        return switch (s.state()) {
            case EXITED ->
                new JobOutcome(
                        w.id(),
                        JobOutcome.Ending.EXITED,
                        s.exitCode(),
                        outputs,
                        s.exitCode() == 0 ? null : "exit code " + s.exitCode() + " on " + host);
            case MISSING ->
                new JobOutcome(
                        w.id(),
                        JobOutcome.Ending.LOST,
                        null,
                        null,
                        "job directory of " + w.id() + " vanished on " + host);
            default ->
                new JobOutcome(
                        w.id(),
                        JobOutcome.Ending.LOST,
                        null,
                        null,
                        s.detail() != null
                                ? "ended on " + host + " without an exit code: " + s.detail()
                                : "lost: the job's processes on " + host + " ended without an exit code",
                        s.retryable());
        };
    }

    /** Removes the directories, one command for all; what cannot be removed goes to the cleanup failures. */
    void cleanup(List<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        try {
            Map<Boolean, List<CleanupResult>> results =
                    backend.cleanup(ids).stream().collect(Collectors.partitioningBy(CleanupResult::removed));
            if (!results.get(true).isEmpty()) {
                cleanupOutcomes.removed(
                        results.get(true).stream().map(CleanupResult::id).toList());
            }
            if (!results.get(false).isEmpty()) {
                cleanupOutcomes.failed(results.get(false));
            }
        } catch (RuntimeException e) {
            cleanupOutcomes.failed(ids.stream()
                    .map(id -> new CleanupResult(id, false, e.getMessage()))
                    .toList());
        }
    }
}
