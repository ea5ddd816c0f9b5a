package io.caravan.routes.remotejob;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.caravan.core.engine.Json;
import io.caravan.core.engine.TaskInvocation;
import io.caravan.core.jobs.DirectoryRule;
import io.caravan.core.jobs.GpuEnvironment;
import io.caravan.core.jobs.JobRequest;
import io.caravan.core.jobs.LogSink;
import io.caravan.core.jobs.RemoteJobOptions;
import io.caravan.core.jobs.Reservation;
import io.caravan.core.workflow.RemoteJobKind;
import io.caravan.core.workflow.ResourceRequest;
import io.caravan.spi.JobSpec;
import io.caravan.spi.posix.OwnerMarker;

/** The job one attempt starts: its id (fixed by run, task, item and attempt), its environment and its spec. */
final class JobRequests {
    private JobRequests() {}

    /** The attempt's job: options other than the protocol's go to the backend as they are (lists joined). */
    static JobRequest request(TaskInvocation inv, RemoteJobOptions job, String owner) {
        Map<String, String> extra = new LinkedHashMap<>();
        inv.options().forEach((k, v) -> {
            if (!RemoteJobKind.OPTIONS.contains(k) && v != null) {
                extra.put(
                        k,
                        v instanceof List<?> list
                                ? JobSpec.joinList(
                                        list.stream().map(String::valueOf).toList())
                                : String.valueOf(v));
            }
        });
        JobSpec spec = new JobSpec(
                jobId(inv),
                job.script(),
                job.env(),
                OwnerMarker.engine(owner, inv.runId(), inv.task().id(), inv.itemIndex(), inv.attempt()),
                extra,
                resources(inv).toJob());
        return job.request(spec, LogSink.toFile(inv.log()));
    }

    /** The attempt's job options, typed; the engine's variables (its GPUs among them) first, the task's own env after them. */
    static RemoteJobOptions options(TaskInvocation inv, Reservation held) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ITEM", inv.item() == null ? "" : inv.item() instanceof String s ? s : Json.write(inv.item()));
        env.put("CARAVAN_RUN_ID", inv.runId());
        env.put("CARAVAN_TASK_ID", inv.task().id());
        env.put("CARAVAN_ITEM_INDEX", String.valueOf(inv.itemIndex()));
        env.put("CARAVAN_ATTEMPT", String.valueOf(inv.attempt()));
        // what this attempt asked for, so that the job can size itself (threads, heap) as Slurm's SLURM_CPUS_PER_TASK
        // lets it
        ResourceRequest asked = resources(inv);
        if (asked.cpus() > 0) {
            env.put("CARAVAN_CPUS", String.valueOf(asked.cpus()));
        }
        if (asked.mem() != null) {
            env.put("CARAVAN_MEM_MB", String.valueOf(asked.mem().megabytes()));
        }
        env.putAll(GpuEnvironment.of(held));
        return RemoteJobOptions.fromTask(inv.options(), env, inv.timeout());
    }

    /** The task's resources for this attempt: a retry may ask for more. */
    static ResourceRequest resources(TaskInvocation inv) {
        return inv.task().resources().forAttempt(inv.attempt());
    }

    /** run, task, item, attempt: the same attempt always gets the same directory. */
    static String jobId(TaskInvocation inv) {
        return DirectoryRule.jobId(inv.runId(), inv.task().id(), inv.itemIndex(), inv.attempt());
    }
}
