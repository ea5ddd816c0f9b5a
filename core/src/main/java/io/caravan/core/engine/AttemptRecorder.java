package io.caravan.core.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

import io.caravan.core.runs.TaskState;
import io.caravan.core.ssh.Backoff;
import io.caravan.core.ssh.SshFailure;
import io.caravan.core.storage.AttemptEnd;
import io.caravan.core.storage.Claim;
import io.caravan.core.storage.OwnerOnly;
import io.caravan.core.storage.RunStore;

/** Records how a claimed attempt ended: success, retry later, or failure. */
final class AttemptRecorder {
    private final RunStore store;
    private final EngineSettings settings;
    private final Clock clock;
    private final RunListener listener;
    private final RunNotices notices;

    AttemptRecorder(RunStore store, EngineSettings settings, Clock clock, RunListener listener, RunNotices notices) {
        this.store = store;
        this.notices = notices;
        this.settings = settings;
        this.clock = clock;
        this.listener = listener;
    }

    Path logFile(Claim claim) {
        return AttemptLogs.of(settings.logs(), claim.runId(), claim.taskId(), claim.itemIndex(), claim.attempt());
    }

    /** An attempt whose executor has answered: its result, or what it threw. */
    record Finished(Claim claim, TaskInvocation invocation, TaskResult outcome, Throwable thrown) {}

    /**
     * Records how attempts ended, all in one transaction; for each, true when it was recorded for its claim. A
     * cancelled attempt (the engine is stopping) records nothing: its claim was handed back and the attempt is
     * taken up again.
     */
    List<Boolean> finish(List<Finished> batch) {
        Instant now = clock.instant();
        List<AttemptEnd> ends = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            AttemptEnd end = end(batch.get(i), now);
            if (end != null) {
                ends.add(end);
                positions.add(i);
            }
        }
        List<Boolean> stored = store.attempts().end(ends, now);
        List<Boolean> recorded = new ArrayList<>(Collections.nCopies(batch.size(), false));
        for (int k = 0; k < ends.size(); k++) {
            if (stored.get(k)) {
                AttemptEnd e = ends.get(k);
                recorded.set(positions.get(k), true);
                listener.attemptEnded(
                        e.claim().taskId(),
                        e.claim().itemIndex(),
                        e.retryAt() != null ? TaskState.READY : e.state(),
                        e.error());
                notices.attemptEnded(batch.get(positions.get(k)).invocation(), e);
            }
        }
        return recorded;
    }

    /** What to record for one attempt, its log file written; null for a cancelled one. */
    private AttemptEnd end(Finished f, Instant now) {
        Throwable cause =
                f.thrown() instanceof CompletionException && f.thrown().getCause() != null
                        ? f.thrown().getCause()
                        : f.thrown();
        if (cause instanceof CancellationException) {
            return null;
        }
        TaskResult result = cause == null ? f.outcome() : thrown(cause);
        Claim claim = f.claim();
        AttemptEnd end;
        if (result.leftOnHost()) {
            end = AttemptEnd.leftOnHost(claim, result.error());
        } else if (result.succeeded()) {
            end = AttemptEnd.succeeded(claim, Json.write(result.output()), result.cleanupDue());
        } else if (claim.attempt() < claim.maxAttempts() && result.retryable()) {
            end = AttemptEnd.retried(
                    claim, now.plus(retryDelay(f.invocation(), claim.attempt())), result.error(), result.cleanupDue());
        } else {
            end = AttemptEnd.ended(claim, TaskState.FAILED, null, result.error(), result.cleanupDue());
        }
        return end.withLog(writeLog(f.invocation().log(), result.log()));
    }

    /** An executor that threw: an SSH failure found anywhere in the chain keeps its class (a fatal one is not retried). */
    private static TaskResult thrown(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SshFailure ssh) {
                return TaskResult.of(ssh);
            }
        }
        return TaskResult.failure(cause.getClass().getSimpleName() + ": " + cause.getMessage(), "");
    }

    /** retry_delay doubled per attempt, capped at 32×, with jitter so a failed fan-out does not retry in lockstep. */
    static Duration retryDelay(TaskInvocation invocation, int attempt) {
        Duration base = invocation.task().retryDelay();
        return new Backoff(base, base.multipliedBy(32), Integer.MAX_VALUE)
                .delayBeforeRetry(attempt)
                .multipliedBy(2);
    }

    /** Writes the result's log text, unless the executor streamed the log to the file itself; the file's path, if there is one. */
    private static String writeLog(Path file, String log) {
        try {
            if (log != null && !log.isEmpty()) {
                OwnerOnly.write(file, log.getBytes(StandardCharsets.UTF_8));
            }
            return Files.exists(file) ? file.toString() : null;
        } catch (IOException e) {
            return null; // a log that cannot be written must not fail the task; the output is still recorded
        }
    }
}
