package io.caravan.spi;

/**
 * What one poll saw of one job.
 *
 * @param exitCode when {@link JobState#EXITED}
 * @param logSize  bytes in the job's log so far
 */
public record JobStatus(String id, JobState state, Integer exitCode, long logSize) {

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
