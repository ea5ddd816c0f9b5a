package io.caravan.core.storage;

import java.time.Instant;

import io.caravan.core.runs.TaskState;

/**
 * How one claimed attempt ended, as the engine records it.
 *
 * @param state      the instance's end state; FAILED for an attempt retried later
 * @param retryAt    when a failed attempt with retries left is READY again; null when the instance ends
 * @param cleanupDue the job directory that is to go now the outcome is recorded, or null
 * @param logPath    where the attempt's log is, or null
 */
public record AttemptEnd(Claim claim, TaskState state, String outputJson, String error, Instant retryAt,
                         JobDirectory cleanupDue, String logPath) {

    public static AttemptEnd ended(Claim claim, TaskState state, String outputJson, String error, JobDirectory cleanupDue) {
        return new AttemptEnd(claim, state, outputJson, error, null, cleanupDue, null);
    }

    public static AttemptEnd retried(Claim claim, Instant when, String error, JobDirectory cleanupDue) {
        return new AttemptEnd(claim, TaskState.FAILED, null, error, when, cleanupDue, null);
    }

    public AttemptEnd withLog(String path) {
        return new AttemptEnd(claim, state, outputJson, error, retryAt, cleanupDue, path);
    }
}
