package io.caravan.core.runs;

/**
 * The state of a task of a run, and of each of its instances. A task waits (PENDING) until its
 * upstream tasks have ended, then its instances are READY to be claimed; a failed attempt with
 * retries left goes back to READY with a later start time.
 */
public enum TaskState {
    PENDING,
    READY,
    RUNNING,
    SUCCEEDED,
    FAILED,
    UPSTREAM_FAILED,
    SKIPPED,
    CANCELLED;

    public boolean finished() {
        return switch (this) {
            case SUCCEEDED, FAILED, UPSTREAM_FAILED, SKIPPED, CANCELLED -> true;
            default -> false;
        };
    }

    /** Counts as a failure for trigger rules and for the run's result. */
    public boolean failed() {
        return this == FAILED || this == UPSTREAM_FAILED;
    }
}
