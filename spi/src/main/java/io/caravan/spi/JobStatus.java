package io.caravan.spi;

/**
 * What one poll saw of one job.
 *
 * @param exitCode when {@link JobState#EXITED}
 * @param logSize  bytes in the job's log so far
 * @param detail   why a job ended as {@link JobState#LOST}, in the backend's terms (a Slurm state), or null
 * @param retryable whether a LOST job may be tried again under the task's retries (a preempted job may, a
 *                 cancelled one may not)
 */
public record JobStatus(String id, JobState state, Integer exitCode, long logSize, String detail, boolean retryable) {

    public JobStatus(String id, JobState state, Integer exitCode, long logSize) {
        this(id, state, exitCode, logSize, null, true);
    }

    /** Where a job stands. */
    public enum JobState {
        /** Its process group is alive. */
        RUNNING,
        /** It wrote its exit code. */
        EXITED,
        /** Its processes are gone and it left no exit code (killed, host rebooted). */
        LOST,
        /** No such job directory. */
        MISSING
    }
}
