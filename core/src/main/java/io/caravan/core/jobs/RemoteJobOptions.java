package io.caravan.core.jobs;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.caravan.core.workflow.Durations;
import io.caravan.spi.JobSpec;

/**
 * One typed job model, every default in one place: what {@code remote_job:}, a plugin's job task type
 * ({@code slurm_job:}) and the {@code remote-job:} URI all become before a job is submitted.
 *
 * @param script       the job's shell text
 * @param env          environment variables of the job, in order
 * @param workdirBase  directory on the host that holds job directories (relative: under the login's home)
 * @param timeout      from submission; null for none
 * @param killGrace    between TERM and KILL
 * @param pollInterval how often the job wants to be looked at
 */
public record RemoteJobOptions(
        String script,
        Map<String, String> env,
        String workdirBase,
        CleanupPolicy cleanup,
        Duration pollInterval,
        Duration timeout,
        Duration killGrace) {
    public static final String DEFAULT_BASE = ".caravan/jobs";
    public static final CleanupPolicy DEFAULT_CLEANUP = CleanupPolicy.ON_SUCCESS;
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);
    public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(10);
    /** A route's job has no task timeout to inherit: one hour unless its URI says otherwise. */
    public static final Duration DEFAULT_URI_TIMEOUT = Duration.ofHours(1);

    public RemoteJobOptions {
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env)); // in order: later variables may use earlier ones
        workdirBase = workdirBase == null ? DEFAULT_BASE : workdirBase;
        cleanup = cleanup == null ? DEFAULT_CLEANUP : cleanup;
        pollInterval = pollInterval == null ? DEFAULT_POLL_INTERVAL : pollInterval;
        killGrace = killGrace == null ? DEFAULT_KILL_GRACE : killGrace;
    }

    /**
     * From a task's resolved options (checked at load time by {@code RemoteJobKind}); {@code env} holds the
     * engine's variables, to which the task's own are added.
     */
    public static RemoteJobOptions fromTask(Map<String, Object> o, Map<String, String> env, Duration timeout) {
        Map<String, String> all = new LinkedHashMap<>(env);
        if (o.get("env") instanceof Map<?, ?> given) {
            given.forEach((k, v) -> all.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        }
        return new RemoteJobOptions(
                text(o.get("script"), text(o.get("command"), null)),
                all,
                text(o.get("workdir_base"), null),
                o.get("cleanup") == null ? null : CleanupPolicy.parse(String.valueOf(o.get("cleanup"))),
                duration(o.get("poll_interval")),
                timeout,
                duration(o.get("kill_grace")));
    }

    /** From a {@code remote-job:} URI's options (strings, each checked when set). */
    public static RemoteJobOptions fromUri(
            String workdirBase, String cleanup, String pollInterval, String timeout, String killGrace) {
        return new RemoteJobOptions(
                "",
                Map.of(),
                workdirBase,
                cleanup == null ? null : CleanupPolicy.parse(cleanup),
                duration(pollInterval),
                timeout == null ? DEFAULT_URI_TIMEOUT : Durations.parse(timeout),
                duration(killGrace));
    }

    /** The same options for another script and environment: a route's message body and headers. */
    public RemoteJobOptions with(String script, Map<String, String> env) {
        return new RemoteJobOptions(script, env, workdirBase, cleanup, pollInterval, timeout, killGrace);
    }

    public JobRequest request(JobSpec spec, LogSink log) {
        return new JobRequest(spec, timeout, killGrace, pollInterval, cleanup, log);
    }

    private static Duration duration(Object value) {
        return value == null ? null : Durations.parse(String.valueOf(value));
    }

    private static String text(Object value, String otherwise) {
        return value == null ? otherwise : String.valueOf(value);
    }
}
