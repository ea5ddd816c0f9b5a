package io.caravan.core.engine;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.caravan.core.runs.RunState;

/**
 * Starts runs of loaded workflows by id: what schedules and the {@code caravan:} Camel component call.
 * The future completes when the run ends.
 */
public interface WorkflowLauncher {

    /**
     * @param trigger   "schedule", "camel", "cli" …, recorded on the run
     * @param overrides param values as {@code --set} would give them
     * @throws IllegalArgumentException for an unknown workflow or bad overrides
     */
    CompletableFuture<RunOutcome> launch(String workflowId, String trigger, Map<String, String> overrides);

    /**
     * A schedule's firing for the cron slot {@code slot}: a run, unless the slot has one already (in a
     * cluster, another node fired it).
     */
    default void fire(String workflowId, Instant slot) {
        launch(workflowId, "schedule", Map.of());
    }

    /** How a run ended, with the outputs of its tasks by task id. */
    record RunOutcome(String runId, String workflowId, RunState state, Map<String, Object> outputs) {}
}
