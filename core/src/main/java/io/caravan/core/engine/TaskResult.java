package io.caravan.core.engine;

import io.caravan.core.ssh.SshFailure;
import io.caravan.core.storage.OwedDirectory;

/**
 * How an attempt ended.
 *
 * @param output what downstream templates see as {@code tasks.<id>.output}
 * @param log    text for {@code caravan logs}
 * @param error  why it failed, or null
 * @param retryable whether a failure may use the task's retries (a cancelled Slurm job may not)
 * @param cleanupDue a job directory the executor removes once the outcome is recorded: written down with the
 *                   outcome, so that it is removed even if this engine dies first; null when nothing is left
 * @param leftOnHost whether the attempt's job was left on a host given up on (it may run on or have finished
 *                   there): a resume takes the same attempt up again and adopts the job instead of failing for good
 */
public record TaskResult(
        boolean succeeded,
        Object output,
        String log,
        String error,
        boolean retryable,
        OwedDirectory cleanupDue,
        boolean leftOnHost) {

    public TaskResult(boolean succeeded, Object output, String log, String error, boolean retryable) {
        this(succeeded, output, log, error, retryable, null, false);
    }

    public TaskResult withCleanupDue(OwedDirectory directory) {
        return new TaskResult(succeeded, output, log, error, retryable, directory, leftOnHost);
    }

    /** A failure whose job was left on a host that was given up on: not retried, but resumable by adoption. */
    public static TaskResult leftOnHost(String error) {
        return new TaskResult(false, null, "", error, false, null, true);
    }

    public static TaskResult success(Object output, String log) {
        return new TaskResult(true, output, log, null, false);
    }

    public static TaskResult failure(String error, String log) {
        return new TaskResult(false, null, log, error, true);
    }

    /**
     * What an attempt that hit an SSH failure ends with: a fatal one (authentication, host key, key file,
     * configuration, permission) is not a task failure to retry, whatever the task's {@code retries:}.
     */
    public static TaskResult of(SshFailure failure) {
        return failure.fatal() ? finalFailure(failure.getMessage(), "") : failure(failure.getMessage(), "");
    }

    /** A failure that retrying cannot mend: the attempt fails the instance at once. */
    public static TaskResult finalFailure(String error, String log) {
        return new TaskResult(false, null, log, error, false);
    }
}
