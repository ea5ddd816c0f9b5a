package io.caravan.core.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.caravan.core.runs.TaskState;
import io.caravan.core.ssh.Backoff;
import io.caravan.core.storage.Claim;
import io.caravan.core.storage.RunStore;

/** Records how a claimed attempt ended: success, retry later, or failure. */
final class AttemptRunner {
    private final RunStore store;
    private final EngineSettings settings;
    private final Clock clock;
    private final RunListener listener;

    AttemptRunner(RunStore store, EngineSettings settings, Clock clock, RunListener listener) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.listener = listener;
    }

    Path logFile(Claim claim) {
        return AttemptLogs.of(settings.logs(), claim.runId(), claim.taskId(), claim.itemIndex(), claim.attempt());
    }

    /**
     * Records how an attempt ended; true when it was recorded for this claim. A cancelled attempt (the engine
     * is stopping) records nothing: its claim was handed back and the attempt is taken up again.
     */
    boolean finish(Claim claim, TaskInvocation invocation, TaskResult outcome, Throwable thrown) {
        Throwable cause = thrown instanceof java.util.concurrent.CompletionException && thrown.getCause() != null
                ? thrown.getCause() : thrown;
        if (cause instanceof java.util.concurrent.CancellationException) {
            return false;
        }
        TaskResult result = cause == null ? outcome
                : TaskResult.failure(cause.getClass().getSimpleName() + ": " + cause.getMessage(), "");
        writeLog(claim, invocation.log(), result.log());
        Instant now = clock.instant();
        if (result.succeeded()) {
            return record(claim, store.attempts().complete(claim, TaskState.SUCCEEDED, Json.write(result.output()), null, result.cleanupDue(), now), TaskState.SUCCEEDED, null);
        } else if (claim.attempt() < claim.maxAttempts() && result.retryable()) {
            Instant when = now.plus(retryDelay(invocation, claim.attempt()));
            return record(claim, store.attempts().retry(claim, when, result.error(), result.cleanupDue(), now), TaskState.READY, result.error());
        }
        return record(claim, store.attempts().complete(claim, TaskState.FAILED, null, result.error(), result.cleanupDue(), now), TaskState.FAILED, result.error());
    }

    /** retry_delay doubled per attempt, capped at 32×, with jitter so a failed fan-out does not retry in lockstep. */
    static Duration retryDelay(TaskInvocation invocation, int attempt) {
        Duration base = invocation.task().retryDelay();
        return new Backoff(base, base.multipliedBy(32), Integer.MAX_VALUE).delayBeforeRetry(attempt).multipliedBy(2);
    }

    private boolean record(Claim claim, boolean stillOurs, TaskState state, String error) {
        if (stillOurs) {
            listener.attemptEnded(claim.taskId(), claim.itemIndex(), state, error);
        }
        return stillOurs;
    }

    /** The result's log text, unless the executor streamed the log to the file itself. */
    private void writeLog(Claim claim, Path file, String log) {
        try {
            if (log != null && !log.isEmpty()) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, log, StandardCharsets.UTF_8);
            }
            if (Files.exists(file)) {
                store.attempts().logAt(claim.instanceId(), file.toString());
            }
        } catch (IOException e) {
            // a log that cannot be written must not fail the task; the output is still recorded
        }
    }
}
