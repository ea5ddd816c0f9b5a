package io.caravan.core.jobs;

/**
 * How a supervised job ended.
 *
 * @param exitCode    when the job wrote one
 * @param outputsJson the job's {@code outputs.json}, or null
 * @param detail      why it did not succeed, for the attempt's error; null on success
 * @param retryable   whether a failure may be retried under the task's retries
 * @param held        whether the job's directory waits for {@link JobSupervisor#outcomeRecorded} before it is removed
 */
public record JobOutcome(
        String jobId,
        Ending ending,
        Integer exitCode,
        String outputsJson,
        String detail,
        boolean retryable,
        boolean held) {

    public JobOutcome(
            String jobId, Ending ending, Integer exitCode, String outputsJson, String detail, boolean retryable) {
        this(jobId, ending, exitCode, outputsJson, detail, retryable, false);
    }

    public JobOutcome(String jobId, Ending ending, Integer exitCode, String outputsJson, String detail) {
        this(jobId, ending, exitCode, outputsJson, detail, true);
    }

    JobOutcome heldUntilRecorded() {
        return new JobOutcome(jobId, ending, exitCode, outputsJson, detail, retryable, true);
    }

    /** What ended the job. */
    public enum Ending {
        /** It wrote an exit code. */
        EXITED,
        /** Its processes vanished without an exit code, or its directory did. */
        LOST,
        /** It ran past its timeout and was killed. */
        TIMED_OUT,
        /** Cancelled on request and killed. */
        CANCELLED,
        /** The host could not be reached within the reconnect budget. */
        UNREACHABLE
    }

    public boolean succeeded() {
        return ending == Ending.EXITED && exitCode != null && exitCode == 0;
    }
}
