package io.caravan.core.jobs;

import io.caravan.spi.JobStatus;

/** What one poll's answer says of one job: what the poll route's splitter routes on. */
public record JobEvent(Kind kind, Watch watch, JobStatus status) {

    public enum Kind {
        /** Still running, nothing new in its log. */
        RUNNING,
        /** Still running, its log grew: the new bytes are read. */
        LOG_GROWN,
        /** It wrote its exit code. */
        ENDED,
        /** Its processes, or its directory, vanished without an exit code. */
        LOST
    }

    public boolean running() {
        return kind == Kind.RUNNING || kind == Kind.LOG_GROWN;
    }
}
