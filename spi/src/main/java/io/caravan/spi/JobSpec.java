package io.caravan.spi;

import java.util.Map;

/**
 * A job to start. The id is deterministic per task instance and attempt, so submitting it again after
 * a crash adopts the job already there instead of starting a second one.
 *
 * @param id     [A-Za-z0-9._-]+, the job directory's name
 * @param script shell script text
 * @param env    environment variables (names are validated; values are quoted)
 * @param owner  who started it (engine and run), written next to the job so a sweeper can tell its own
 * @param options the task type's own options as text (a Slurm partition, say); empty for remote_job
 */
public record JobSpec(String id, String script, Map<String, String> env, String owner, Map<String, String> options) {

    public JobSpec {
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    public JobSpec(String id, String script, Map<String, String> env, String owner) {
        this(id, script, env, owner, Map.of());
    }
}
