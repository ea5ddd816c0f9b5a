package io.caravan.routes.remotejob;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.caravan.core.cleanup.CleanupDebts;
import io.caravan.core.engine.AsyncTaskExecutor;
import io.caravan.core.engine.Killable;
import io.caravan.core.engine.TaskInvocation;
import io.caravan.core.engine.TaskResult;
import io.caravan.core.jobs.CleanupPolicy;
import io.caravan.core.jobs.HostPool;
import io.caravan.core.jobs.JobSupervisors;
import io.caravan.core.jobs.JobOutcome;
import io.caravan.core.jobs.JobPlace;
import io.caravan.core.jobs.JobRequest;
import io.caravan.core.jobs.JobSupervisor;
import io.caravan.core.jobs.LogSink;
import io.caravan.core.jobs.RemoteJobOptions;
import io.caravan.core.jobs.SlotBoard;
import io.caravan.core.staging.StagePlan;
import io.caravan.core.workflow.Durations;
import io.caravan.core.workflow.ResourceRequest;
import io.caravan.spi.JobSpec;

/**
 * Tasks of detached jobs: {@code remote_job:} (POSIX hosts over SSH) and the job task types of plugins,
 * each with its own {@link JobSupervisors}. Places the attempt on its host (or on a pool host with a free slot), hands it to
 * that host's supervisor and completes when the job has ended; no engine thread waits meanwhile. The job id
 * is fixed by run, task, item and attempt, so an attempt taken up again after an engine restart adopts the
 * job already running instead of starting it twice.
 */
public final class JobTaskExecutor implements AsyncTaskExecutor {
    private final JobSupervisors supervisors;
    private final SlotBoard slots;
    private final String owner;
    private final PlacementLog placements;
    private final JobStaging staging;
    /** Jobs ended or running whose directory waits for their outcome to be recorded, by job id. */
    private final java.util.Map<String, JobSupervisor> held = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Where the engine notes which pool host an attempt's job runs on: its slot there, and where to adopt it.
     * The job is started once the note is stored (a crash in between must not let the job be placed twice).
     */
    @FunctionalInterface
    public interface PlacementLog {
        CompletableFuture<?> placed(TaskInvocation invocation, String host);
    }

    public JobTaskExecutor(JobSupervisors supervisors, SlotBoard slots, String owner, PlacementLog placements) {
        this(supervisors, slots, owner, placements, JobStaging.none());
    }

    /** @param staging moves the tasks' {@code stage_in:} and {@code stage_out:} files */
    public JobTaskExecutor(JobSupervisors supervisors, SlotBoard slots, String owner, PlacementLog placements, JobStaging staging) {
        this.supervisors = supervisors;
        this.slots = slots;
        this.owner = owner;
        this.placements = placements;
        this.staging = staging;
    }

    @Override
    public CompletableFuture<TaskResult> start(TaskInvocation invocation) {
        HostPool pool = invocation.pool();
        CompletableFuture<HostPool.Member> slot = pool == null ? CompletableFuture.completedFuture(null)
                : invocation.runsOn() != null ? slots.adopt(pool, invocation.runsOn()) : slots.acquire(pool);
        JobAttempt result = new JobAttempt();
        // a task aimed at one connection had its host recorded with its claim; a pool's is recorded now
        slot.thenCompose(member -> member == null ? CompletableFuture.completedFuture(null)
                        : placements.placed(invocation, member.target().hostAndPort()).thenApply(stored -> member))
                .whenComplete((member, error) -> {
                    if (error != null || result.isDone()) { // placement failed, or the engine let go meanwhile
                        slot.thenAccept(m -> {
                            if (m != null) {
                                slots.release(m);
                            }
                        });
                        result.completeExceptionally(error != null ? error : new java.util.concurrent.CancellationException());
                    } else {
                        submit(invocation, pool, member, result);
                    }
                });
        result.whenComplete((r, e) -> slot.cancel(false));
        return result;
    }

    /** Stages the attempt's files in, then submits its job; {@code result} completes when the job has ended. */
    private void submit(TaskInvocation invocation, HostPool pool, HostPool.Member member, JobAttempt result) {
        JobRequest request;
        JobPlace place;
        StagePlan plan;
        try {
            RemoteJobOptions options = options(invocation);
            request = request(invocation, options);
            place = new JobPlace(member != null ? member.target() : invocation.target(), options.workdirBase());
            plan = StagePlan.of(invocation.options());
        } catch (RuntimeException e) {
            if (member != null) {
                slots.release(member);
            }
            result.completeExceptionally(e);
            return;
        }
        staging.stageIn(plan, place, request.spec().id(), request.spec().owner(), request.log()).whenComplete((failed, error) -> {
            if (error != null || failed != null || result.isDone()) { // staging failed, or the engine let go meanwhile
                if (member != null) {
                    slots.release(member);
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
                submit(request, place, plan, pool, member, result);
            }
        });
    }

    /** Hands the attempt's job to its host's supervisor; {@code result} completes when the job has ended. */
    private void submit(JobRequest request, JobPlace place, StagePlan plan, HostPool pool, HostPool.Member member,
                        JobAttempt result) {
        CompletableFuture<JobOutcome> job;
        try {
            JobSupervisor supervisor = supervisors.supervisor(place);
            job = supervisor.submitHeld(request);
            held.put(request.spec().id(), supervisor);
            result.killer = () -> supervisor.cancel(request.spec().id());
        } catch (RuntimeException e) {
            if (member != null) {
                slots.release(member);
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
            if (pool != null) {
                slots.release(member);
            }
            if (outcome != null && outcome.ending() == JobOutcome.Ending.CANCELLED) {
                recorded(id); // killed because its run was cancelled: the run's end is recorded already
            }
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                staging.stageOut(plan, where, outcome, result(outcome), request.log())
                        .whenComplete((staged, failed) -> result.complete(withCleanupDue(failed != null
                                ? TaskResult.failure("stage_out: " + failed.getMessage(), "") : staged, outcome, where)));
            }
        });
    }

    @Override
    public void recorded(TaskInvocation invocation) {
        recorded(jobId(invocation));
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

    private JobRequest request(TaskInvocation inv, RemoteJobOptions job) {
        Map<String, String> extra = new LinkedHashMap<>();
        inv.options().forEach((k, v) -> {
            if (!io.caravan.core.workflow.RemoteJobKind.OPTIONS.contains(k) && v != null) {
                extra.put(k, v instanceof List<?> list ? JobSpec.joinList(list.stream().map(String::valueOf).toList())
                        : String.valueOf(v));
            }
        });
        JobSpec spec = new JobSpec(jobId(inv), job.script(), job.env(), io.caravan.spi.posix.OwnerMarker.engine(owner,
                inv.runId(), inv.task().id(), inv.itemIndex(), inv.attempt()), extra, resources(inv).toJob());
        return job.request(spec, LogSink.toFile(inv.log()));
    }

    /** The attempt's job options, typed; the engine's variables first, the task's own env after them. */
    private static RemoteJobOptions options(TaskInvocation inv) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ITEM", inv.item() == null ? "" : inv.item() instanceof String s ? s : io.caravan.core.engine.Json.write(inv.item()));
        env.put("CARAVAN_RUN_ID", inv.runId());
        env.put("CARAVAN_TASK_ID", inv.task().id());
        env.put("CARAVAN_ITEM_INDEX", String.valueOf(inv.itemIndex()));
        env.put("CARAVAN_ATTEMPT", String.valueOf(inv.attempt()));
        // what this attempt asked for, so that the job can size itself (threads, heap) as Slurm's SLURM_CPUS_PER_TASK lets it
        ResourceRequest asked = resources(inv);
        if (asked.cpus() > 0) {
            env.put("CARAVAN_CPUS", String.valueOf(asked.cpus()));
        }
        if (asked.mem() != null) {
            env.put("CARAVAN_MEM_MB", String.valueOf(asked.mem().megabytes()));
        }
        return RemoteJobOptions.fromTask(inv.options(), env, inv.timeout());
    }

    /** The task's resources for this attempt: a retry may ask for more. */
    private static ResourceRequest resources(TaskInvocation inv) {
        return inv.task().resources().forAttempt(inv.attempt());
    }

    /** run, task, item, attempt: the same attempt always gets the same directory. */
    static String jobId(TaskInvocation inv) {
        return io.caravan.core.jobs.DirectoryRule.jobId(inv.runId(), inv.task().id(), inv.itemIndex(), inv.attempt());
    }

    /**
     * A directory its supervisor holds until the outcome is recorded goes down with the outcome, so that it is
     * removed even if this engine dies between recording and removing. (A cancelled job's goes at once.)
     */
    private static TaskResult withCleanupDue(TaskResult result, JobOutcome outcome, JobPlace place) {
        return io.caravan.core.jobs.DirectoryRule.owedByResult(outcome, place.target() != null) ? result.withCleanupDue(CleanupDebts.directory(place, outcome.jobId())) : result;
    }

    private static TaskResult result(JobOutcome outcome) {
        if (io.caravan.core.jobs.DirectoryRule.leftOnHost(outcome)) {
            return TaskResult.leftOnHost(outcome.detail());
        }
        Object output = outcome.outputsJson() == null ? null : io.caravan.core.engine.Json.structured(outcome.outputsJson());
        return outcome.succeeded() ? TaskResult.success(output, "")
                : outcome.retryable() ? TaskResult.failure(outcome.detail(), "") : TaskResult.finalFailure(outcome.detail(), "");
    }

    private static String text(Object value, String otherwise) {
        return value == null ? otherwise : String.valueOf(value);
    }
}
