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
 * @param leftOnHost a failed attempt whose job was left on a host given up on: a resume takes it up again
 */
public record AttemptEnd(
        Claim claim,
        TaskState state,
        String outputJson,
        String error,
        Instant retryAt,
        OwedDirectory cleanupDue,
        String logPath,
        boolean leftOnHost) {

    public static AttemptEnd ended(
            Claim claim, TaskState state, String outputJson, String error, OwedDirectory cleanupDue) {
        return new AttemptEnd(claim, state, outputJson, error, null, cleanupDue, null, false);
    }

    /** The attempt failed because its host was given up on; its job may run on there. */
    public static AttemptEnd leftOnHost(Claim claim, String error) {
        return new AttemptEnd(claim, TaskState.FAILED, null, error, null, null, null, true);
    }

    public static AttemptEnd retried(Claim claim, Instant when, String error, OwedDirectory cleanupDue) {
        return new AttemptEnd(claim, TaskState.FAILED, null, error, when, cleanupDue, null, false);
    }

    public AttemptEnd withLog(String path) {
        return new AttemptEnd(claim, state, outputJson, error, retryAt, cleanupDue, path, leftOnHost);
    }
}
