package io.caravan.core.jobs;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * What the supervisor knows of one job between polls; opaque outside this package. Its state is written by
 * {@link HostJobs} alone, under its lock; the others read it.
 */
public final class Watch {
    final JobRequest request;
    /** Its directory stays after it ends until the engine has recorded its outcome ({@link JobSupervisor#outcomeRecorded}). */
    final boolean held;

    final CompletableFuture<JobOutcome> outcome = new CompletableFuture<>();
    Instant submittedAt;
    Instant deadline;
    Instant termSentAt;
    boolean killSent;
    volatile boolean cancelRequested;
    long offset;
    long size;

    Watch(JobRequest request, boolean held) {
        this.request = request;
        this.held = held;
    }

    public String id() {
        return request.spec().id();
    }

    /** Cancelling the future detaches the job (the engine stops); the job itself keeps running. */
    boolean detached() {
        return outcome.isCancelled();
    }

    boolean signalled() {
        return termSentAt != null;
    }
}
