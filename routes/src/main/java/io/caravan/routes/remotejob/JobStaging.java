package io.caravan.routes.remotejob;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.caravan.core.cleanup.CleanupDebts;
import io.caravan.core.engine.TaskResult;
import io.caravan.core.jobs.JobOutcome;
import io.caravan.core.jobs.JobPlace;
import io.caravan.core.jobs.LogSink;
import io.caravan.core.ssh.SshFailure;
import io.caravan.core.ssh.SshTransport;
import io.caravan.core.staging.FileStaging;
import io.caravan.core.staging.StagePlan;
import io.caravan.core.staging.StagingDirectory;
import io.caravan.core.staging.StagingException;

/**
 * A job task's {@code stage_in:} before its job is submitted and {@code stage_out:} after the job ends, while its
 * directory is still held (it goes only once the outcome is recorded). Transfers block, so they run on a few
 * staging threads of their own, never an engine thread. What each direction moves, and its total size, goes to the
 * attempt's log as {@code [caravan] stage_in: …} lines, ahead of and after the job's own output.
 * <p>A failed stage_in leaves no directory: it is removed at once, or, when the host no longer answers, owed as a
 * cleanup debt (it carries its owner marker and never started, so the debt and the sweep may remove it).
 * stage_out runs after a job that succeeded; after one that failed only the lines marked {@code when: always}
 * (logs, partial results), as optional ones, and the attempt keeps the job's failure as its reason.
 */
public final class JobStaging {
    private static final int THREADS = 4;

    private final SshTransport transport;
    private final Executor threads;

    /** @param transport the pooled SSH transport; null where there is none, which refuses a task that stages files */
    public JobStaging(SshTransport transport) {
        this.transport = transport;
        ThreadPoolExecutor pool =
                new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "caravan-staging");
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true); // idle: no threads, so nobody needs to close this
        this.threads = pool;
    }

    static JobStaging none() {
        return new JobStaging(null);
    }

    /** The job directory of a job at a place. */
    static String jobDirectory(JobPlace place, String jobId) {
        return place.base() + "/" + jobId;
    }

    /**
     * Sends the stage_in files into the job's directory, made and marked as the job's first.
     *
     * @return null when the job may be submitted; else the attempt's result
     */
    CompletableFuture<TaskResult> stageIn(StagePlan plan, JobPlace place, String jobId, String owner, LogSink log) {
        if (plan.in().isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return async(() -> {
            String dir = jobDirectory(place, jobId);
            try {
                check(place);
                List<FileStaging.Upload> uploads = FileStaging.uploads(plan.in(), plan.localBase(), dir);
                StagingDirectory directory = new StagingDirectory(transport);
                if (!directory.prepare(place.target(), dir, owner, FileStaging.directories(uploads, dir))) {
                    line(log, "stage_in: the job has started already (taken up again): nothing to send");
                    return null;
                }
                new FileStaging(transport).stageIn(place.target(), uploads, text -> line(log, text));
                return null;
            } catch (RuntimeException e) {
                line(log, "stage_in failed: " + e.getMessage());
                TaskResult failed = failure(e, e instanceof StagingException);
                return place.target() == null || new StagingDirectory(transport).discard(place.target(), dir)
                        ? failed
                        : failed.withCleanupDue(CleanupDebts.directory(place, jobId));
            }
        });
    }

    /** Removes the directory stage_in made for a job that is not going to be submitted after all. */
    void discard(JobPlace place, String jobId) {
        if (transport != null && place.target() != null) {
            threads.execute(() -> new StagingDirectory(transport).discard(place.target(), jobDirectory(place, jobId)));
        }
    }

    /** Fetches the stage_out files of an ended job; the attempt's result, {@code ended} unless staging failed it. */
    CompletableFuture<TaskResult> stageOut(
            StagePlan plan, JobPlace place, JobOutcome outcome, TaskResult ended, LogSink log) {
        boolean fetchable =
                outcome.ending() == JobOutcome.Ending.EXITED || outcome.ending() == JobOutcome.Ending.TIMED_OUT;
        if (plan.outAfter(outcome.succeeded()).isEmpty() || !fetchable) {
            return CompletableFuture.completedFuture(ended);
        }
        return async(() -> {
            try {
                check(place);
                new FileStaging(transport)
                        .stageOut(
                                place.target(),
                                jobDirectory(place, outcome.jobId()),
                                plan.outAfter(outcome.succeeded()),
                                plan.localBase(),
                                outcome.succeeded(),
                                text -> line(log, text));
                return ended;
            } catch (RuntimeException e) {
                line(log, "stage_out failed: " + e.getMessage());
                return outcome.succeeded() ? failure(e, false) : ended; // a failed job's own reason comes first
            }
        });
    }

    private void check(JobPlace place) {
        if (transport == null || place.target() == null) {
            throw new StagingException("stage_in/stage_out need a job on an SSH host (a target: connection or pool)");
        }
    }

    private CompletableFuture<TaskResult> async(Supplier<TaskResult> work) {
        return CompletableFuture.supplyAsync(work, threads);
    }

    private static TaskResult failure(RuntimeException e, boolean final_) {
        if (e instanceof SshFailure ssh) {
            return TaskResult.of(ssh);
        }
        String why =
                e instanceof StagingException ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
        return final_ ? TaskResult.finalFailure(why, "") : TaskResult.failure(why, "");
    }

    private static void line(LogSink log, String text) {
        log.append(("[caravan] " + text + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
