package io.caravan.core.jobs;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** What the supervisor knows of one job between polls; opaque outside this package. */
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

    void submitted(Instant now) {
        submittedAt = now;
        deadline = request.timeout() == null ? null : now.plus(request.timeout());
    }

    boolean signalled() {
        return termSentAt != null;
    }
}
