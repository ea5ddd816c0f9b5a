package io.caravan.core.jobs;

/**
 * What gives each host's {@link JobSupervisor} its turns: the remote-job routes ({@code remote-job-submit},
 * {@code remote-job-poll}, {@code remote-job-complete}). A supervisor only holds the host's state; it never
 * runs a thread of its own.
 */
public interface HostTurns {
    /** The supervisor is started ({@link JobSupervisor#start}): poll it when due. */
    void attach(JobSupervisor host);

    /** A job was queued on the host: submit it with the others queued meanwhile. */
    void queued(JobSupervisor host);

    /** The supervisor is closed: stop polling it. */
    void detach(JobSupervisor host);
}
