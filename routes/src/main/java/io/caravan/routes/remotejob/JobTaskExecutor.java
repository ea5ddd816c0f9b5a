package io.caravan.routes.remotejob;

import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.caravan.core.cleanup.CleanupDebts;
import io.caravan.core.engine.AsyncTaskExecutor;
import io.caravan.core.engine.Json;
import io.caravan.core.engine.Killable;
import io.caravan.core.engine.TaskInvocation;
import io.caravan.core.engine.TaskResult;
import io.caravan.core.jobs.DirectoryRule;
import io.caravan.core.jobs.GpuInventory;
import io.caravan.core.jobs.HostPool;
import io.caravan.core.jobs.JobOutcome;
import io.caravan.core.jobs.JobPlace;
import io.caravan.core.jobs.JobRequest;
import io.caravan.core.jobs.JobSupervisor;
import io.caravan.core.jobs.JobSupervisors;
import io.caravan.core.jobs.PlacementRequest;
import io.caravan.core.jobs.PoolReservations;
import io.caravan.core.jobs.RemoteJobOptions;
import io.caravan.core.jobs.Reservation;
import io.caravan.core.jobs.Unplaceable;
import io.caravan.core.staging.StagePlan;

/**
 * Tasks of detached jobs: {@code remote_job:} (POSIX hosts over SSH) and the job task types of plugins,
 * each with its own {@link JobSupervisors}. Places the attempt on its host (or on a pool host with a free slot and all that its
 * {@code resources:} ask for free, GPU indices given in {@code CUDA_VISIBLE_DEVICES}), hands it to
 * that host's supervisor and completes when the job has ended; no engine thread waits meanwhile. The job id
 * is fixed by run, task, item and attempt, so an attempt taken up again after an engine restart adopts the
 * job already running instead of starting it twice.
 */
public final class JobTaskExecutor implements AsyncTaskExecutor {
    private final JobSupervisors supervisors;
    private final PoolReservations reservations;
    private final String owner;
    private final PlacementLog placements;
    private final GpuInventory gpus;
    private final JobStaging staging;
    /** Jobs ended or running whose directory waits for their outcome to be recorded, by job id. */
    private final Map<String, JobSupervisor> held = new ConcurrentHashMap<>();

    /**
     * Where the engine notes which pool host an attempt's job runs on and what it holds there: its slot and GPUs,
     * and where to adopt it. The job is started once the note is stored (a crash in between must not let the job
     * be placed twice, nor its GPUs be handed out again).
     */
    @FunctionalInterface
    public interface PlacementLog {
        CompletableFuture<?> placed(TaskInvocation invocation, Reservation reservation);
    }

    /**
     * Jobs whose {@code resources:} are their backend's business (a plugin's scheduler, Slurm's sbatch): a pool
     * host gives them a slot only.
     */
    public JobTaskExecutor(
            JobSupervisors supervisors, PoolReservations reservations, String owner, PlacementLog placements) {
        this(supervisors, reservations, owner, placements, JobStaging.none());
    }

    /** @param staging moves the tasks' {@code stage_in:} and {@code stage_out:} files; a pool host gives a slot only */
    public JobTaskExecutor(
            JobSupervisors supervisors,
            PoolReservations reservations,
            String owner,
            PlacementLog placements,
            JobStaging staging) {
        this(supervisors, reservations, owner, placements, staging, null);
    }

    /**
     * Jobs placed by what their {@code resources:} ask ({@code remote_job}: GPUs, cores, memory on a pool host).
     *
     * @param staging moves the tasks' {@code stage_in:} and {@code stage_out:} files
     * @param gpus    reads the GPUs of pool hosts that declare {@code gpus: auto}; null: resources are not placed here
     */
    public JobTaskExecutor(
            JobSupervisors supervisors,
            PoolReservations reservations,
            String owner,
            PlacementLog placements,
            JobStaging staging,
            GpuInventory gpus) {
        this.supervisors = supervisors;
        this.reservations = reservations;
        this.owner = owner;
        this.placements = placements;
        this.gpus = gpus;
        this.staging = staging;
    }

    @Override
    public CompletableFuture<TaskResult> start(TaskInvocation invocation) {
        JobAttempt result = new JobAttempt();
        CompletableFuture<Reservation> slot = reserve(invocation, result);
        // a task aimed at one connection had its host recorded with its claim; a pool's is recorded now
        slot.thenCompose(held -> held == null
                        ? CompletableFuture.completedFuture(null)
                        : placements.placed(invocation, held).thenApply(stored -> held))
                .whenComplete((held, error) -> {
                    if (error != null || result.isDone()) { // placement failed, or the engine let go meanwhile
                        slot.thenAccept(r -> {
                            if (r != null) {
                                reservations.free(r);
                            }
                        });
                        Throwable cause = error instanceof CompletionException && error.getCause() != null
                                ? error.getCause()
                                : error;
                        if (cause instanceof Unplaceable) {
                            result.complete(TaskResult.finalFailure(cause.getMessage(), ""));
                        } else {
                            result.completeExceptionally(cause != null ? cause : new CancellationException());
                        }
                    } else {
                        submit(invocation, held, result);
                    }
                });
        return result;
    }

    /**
     * A pool's attempt: its host's slot and what its task's {@code resources:} ask for, once the GPUs of any
     * {@code gpus: auto} host are known; the host it already runs on when adopted. Null for a connection's.
     */
    private CompletableFuture<Reservation> reserve(TaskInvocation invocation, JobAttempt result) {
        HostPool pool = invocation.pool();
        if (pool == null) {
            return CompletableFuture.completedFuture(null);
        }
        PlacementRequest request =
                gpus == null ? PlacementRequest.NONE : PlacementRequest.of(JobRequests.resources(invocation));
        String key = JobRequests.jobId(invocation);
        Function<HostPool, CompletableFuture<Reservation>> place = p -> {
            CompletableFuture<Reservation> placed = invocation.runsOn() != null
                    ? reservations.adopt(p, invocation.runsOn(), key, request)
                    : reservations.reserve(p, key, request);
            result.whenComplete((r, e) -> placed.cancel(false)); // the engine let go while it waited: it waits no more
            return placed;
        };
        return gpus != null && pool.readsGpus() ? gpus.resolve(pool).thenCompose(place) : place.apply(pool);
    }

    /** Stages the attempt's files in, then submits its job; {@code result} completes when the job has ended. */
    private void submit(TaskInvocation invocation, Reservation reservation, JobAttempt result) {
        JobRequest request;
        JobPlace place;
        StagePlan plan;
        try {
            RemoteJobOptions options = JobRequests.options(invocation, reservation);
            request = JobRequests.request(invocation, options, owner);
            place = new JobPlace(
                    reservation != null ? reservation.member().target() : invocation.target(), options.workdirBase());
            plan = StagePlan.of(invocation.options());
        } catch (RuntimeException e) {
            if (reservation != null) {
                reservations.free(reservation);
            }
            result.completeExceptionally(e);
            return;
        }
        staging.stageIn(plan, place, request.spec().id(), request.spec().owner(), request.log())
                .whenComplete((failed, error) -> {
                    if (error != null
                            || failed != null
                            || result.isDone()) { // staging failed, or the engine let go meanwhile
                        if (reservation != null) {
                            reservations.free(reservation);
                        }
                        if (error == null && failed == null && !plan.in().isEmpty()) {
                            staging.discard(place, request.spec().id());
                        }
                        if (error != null) {
                            result.completeExceptionally(error);
                        } else {
                            result.complete(failed);
                        }
                    } else {
                        submit(request, place, plan, reservation, result);
                    }
                });
    }

    /** Hands the attempt's job to its host's supervisor; {@code result} completes when the job has ended. */
    private void submit(
            JobRequest request, JobPlace place, StagePlan plan, Reservation reservation, JobAttempt result) {
        CompletableFuture<JobOutcome> job;
        try {
            JobSupervisor supervisor = supervisors.supervisor(place);
            job = supervisor.submitHeld(request);
            held.put(request.spec().id(), supervisor);
            result.killer = () -> supervisor.cancel(request.spec().id());
        } catch (RuntimeException e) {
            if (reservation != null) {
                reservations.free(reservation);
            }
            result.completeExceptionally(e);
            return;
        }
        String id = request.spec().id();
        JobPlace where = place;
        // the engine cancels the result when it stops: let go of the job (it keeps running, to be adopted)
        result.whenComplete((r, e) -> {
            job.cancel(false);
            if (result.isCancelled()) {
                held.remove(id);
            }
        });
        job.whenComplete((outcome, error) -> {
            if (reservation != null) {
                reservations.free(reservation);
            }
            if (outcome != null && outcome.ending() == JobOutcome.Ending.CANCELLED) {
                recorded(id); // killed because its run was cancelled: the run's end is recorded already
            }
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                staging.stageOut(plan, where, outcome, result(outcome), request.log())
                        .whenComplete((staged, failed) -> result.complete(withCleanupDue(
                                failed != null ? TaskResult.failure("stage_out: " + failed.getMessage(), "") : staged,
                                outcome,
                                where)));
            }
        });
    }

    @Override
    public void recorded(TaskInvocation invocation) {
        recorded(JobRequests.jobId(invocation));
    }

    /** The job's outcome is safe: its directory may go now (a job taken up again must find it until then). */
    private void recorded(String jobId) {
        JobSupervisor supervisor = held.remove(jobId);
        if (supervisor != null) {
            supervisor.outcomeRecorded(jobId);
        }
    }

    /**
     * The attempt's result; killing it (its run was cancelled) kills the job's process group on its host,
     * while cancelling it (the engine stops) only lets go of the job, which keeps running to be adopted.
     */
    private static final class JobAttempt extends CompletableFuture<TaskResult> implements Killable {
        private volatile Runnable killer = () -> cancel(false);

        @Override
        public void kill() {
            killer.run();
        }
    }

    /**
     * A directory its supervisor holds until the outcome is recorded goes down with the outcome, so that it is
     * removed even if this engine dies between recording and removing. (A cancelled job's goes at once.)
     */
    private static TaskResult withCleanupDue(TaskResult result, JobOutcome outcome, JobPlace place) {
        return DirectoryRule.owedByResult(outcome, place.target() != null)
                ? result.withCleanupDue(CleanupDebts.directory(place, outcome.jobId()))
                : result;
    }

    private static TaskResult result(JobOutcome outcome) {
        if (DirectoryRule.leftOnHost(outcome)) {
            return TaskResult.leftOnHost(outcome.detail());
        }
        Object output = outcome.outputsJson() == null ? null : Json.structured(outcome.outputsJson());
        return outcome.succeeded()
                ? TaskResult.success(output, "")
                : outcome.retryable()
                        ? TaskResult.failure(outcome.detail(), "")
                        : TaskResult.finalFailure(outcome.detail(), "");
    }

    private static String text(Object value, String otherwise) {
        return value == null ? otherwise : String.valueOf(value);
    }
}
