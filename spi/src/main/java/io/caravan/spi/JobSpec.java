package io.caravan.spi;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A job to start. The id is deterministic per task instance and attempt, so submitting it again after
 * a crash adopts the job already there instead of starting a second one.
 *
 * @param id        [A-Za-z0-9._-]+, the job directory's name
 * @param script    shell script text
 * @param env       environment variables (names are validated; values are quoted)
 * @param owner     who started it (engine and run), written next to the job so a sweeper can tell its own
 * @param options   the task type's own options as text (a Slurm partition, say); empty for remote_job. A list
 *                  option arrives as its elements joined by {@link #LIST_SEPARATOR}: read it with {@link #listOption}
 * @param resources what this attempt asks for (plugin API 1.3.0); {@link JobResources#NONE} when nothing
 */
public record JobSpec(
        String id,
        String script,
        Map<String, String> env,
        String owner,
        Map<String, String> options,
        JobResources resources) {
    /** NUL: no command-line argument or environment value can hold it, so it cannot stand inside an element. */
    public static final String LIST_SEPARATOR = "\0";

    public JobSpec {
        options = options == null ? Map.of() : Map.copyOf(options);
        resources = resources == null ? JobResources.NONE : resources;
    }

    public JobSpec(String id, String script, Map<String, String> env, String owner, Map<String, String> options) {
        this(id, script, env, owner, options, JobResources.NONE);
    }

    public JobSpec(String id, String script, Map<String, String> env, String owner) {
        this(id, script, env, owner, Map.of());
    }

    /** A list option's elements (e.g. {@code sbatch_args: [...]}); empty when the option is not set. */
    public List<String> listOption(String name) {
        String joined = options.get(name);
        return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(LIST_SEPARATOR, -1));
    }

    /** How a list option is written into {@link #options}. */
    public static String joinList(List<String> elements) {
        return String.join(LIST_SEPARATOR, elements);
    }
}
