package io.caravan.spi.plugin;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.caravan.spi.JobBackend;
import io.caravan.spi.posix.ShellQuote;

/**
 * A task type of detached jobs. Besides its own options it takes the common job options: {@code script}
 * (or {@code command}), {@code env}, {@code workdir_base}, {@code cleanup}, {@code poll_interval},
 * {@code kill_grace}.
 */
public interface JobTaskType {

    /** The YAML key, [a-z0-9_]+. */
    String name();

    /**
     * Options beyond the common job options. Their values (like {@code env}'s and {@code workdir_base}) arrive as
     * plain text: a backend that puts them into a command quotes them there ({@link ShellQuote}).
     */
    Set<String> extraOptions();

    /**
     * Problems with the task's own options, found when the workflow is loaded (so a bad value fails before anything
     * runs), as (option, message) pairs; Caravan reports each at the option's file:line:column, or at the list
     * element for an option named {@code name[i]}. Options are as the file writes them: text (with any
     * {@code {{ }}} not yet rendered), numbers, booleans, lists and mappings. None by default (plugin API 1.3.0).
     */
    default List<Map.Entry<String, String>> optionProblems(Map<String, Object> options) {
        return List.of();
    }

    /** Whether the task needs {@code target:} (a host that {@link JobBackendContext#shell()} reaches). */
    boolean needsTarget();

    /**
     * How long the host waits after a job is queued for others to join the same submit. Batch schedulers
     * favour few large submissions (a fan-out as one array): say so here.
     */
    default Duration submitLinger() {
        return Duration.ofMillis(25);
    }

    /** A backend for one place; the host creates one per target and base directory and reuses it. */
    JobBackend backend(JobBackendContext context);
}
