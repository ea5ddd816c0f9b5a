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
    /** The most characters of output an item keeps (its column); more fails the attempt, saying so. */
    public static final int MAX_OUTPUT = 1_000_000;
    /** The most characters of an error message kept (its column); a longer one is cut, saying so. */
    public static final int MAX_ERROR = 10_000;

    private static final String CUT = " … (cut at " + MAX_ERROR + " characters)";

    public AttemptEnd {
        if (error != null && error.length() > MAX_ERROR) {
            error = error.substring(0, MAX_ERROR - CUT.length()) + CUT;
        }
        if (outputJson != null && outputJson.length() > MAX_OUTPUT) {
            throw new IllegalArgumentException(
                    "an output of " + outputJson.length() + " characters is over the " + MAX_OUTPUT + " an item keeps");
        }
    }

    /**
     * A successful attempt, or a failed one when its output is larger than an item keeps: a database would
     * refuse the row, or keep a cut one that reads as valid. Large results belong in a file whose path is the
     * output.
     */
    public static AttemptEnd succeeded(Claim claim, String outputJson, OwedDirectory cleanupDue) {
        if (outputJson != null && outputJson.length() > MAX_OUTPUT) {
            return ended(
                    claim,
                    TaskState.FAILED,
                    null,
                    "the task's output is " + outputJson.length() + " characters as JSON, over the " + MAX_OUTPUT
                            + " an item keeps; write large results to a file and output its path",
                    cleanupDue);
        }
        return ended(claim, TaskState.SUCCEEDED, outputJson, null, cleanupDue);
    }

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
