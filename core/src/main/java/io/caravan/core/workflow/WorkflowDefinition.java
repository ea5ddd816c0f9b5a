package io.caravan.core.workflow;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A loaded, valid workflow (SPEC §5): everything checked that can be checked before a run.
 *
 * @param schedule Quartz cron expression, or null for a workflow that runs only when triggered
 * @param catchup  whether firings missed while the server was down are all run (otherwise at most one)
 * @param params   parameter values, defaults with {@code --set} overrides applied
 * @param pools    host pools declared in the file
 * @param tasks    in file order
 * @param notifications the workflow's on_* endpoints and sla
 * @param limits   its run timeout, max_active_runs and overlap
 */
public record WorkflowDefinition(
        Path source,
        String id,
        String schedule,
        boolean catchup,
        Map<String, Object> params,
        Map<String, ConnectionDefinition> connections,
        Map<String, PoolDefinition> pools,
        Map<String, TaskDefinition> tasks,
        Notifications notifications,
        RunLimits limits) {

    /** The same workflow with the parameter values a run was started with. */
    public WorkflowDefinition withParams(Map<String, Object> values) {
        return new WorkflowDefinition(
                source,
                id,
                schedule,
                catchup,
                Collections.unmodifiableMap(new LinkedHashMap<>(values)),
                connections,
                pools,
                tasks,
                notifications,
                limits);
    }
}
