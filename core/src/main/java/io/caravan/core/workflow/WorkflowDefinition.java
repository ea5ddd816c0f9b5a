package io.caravan.core.workflow;

import java.nio.file.Path;
import java.util.Map;

/**
 * A loaded, valid workflow (SPEC §5): everything checked that can be checked before a run.
 *
 * @param schedule Quartz cron expression, or null for a workflow that runs only when triggered
 * @param catchup  whether firings missed while the server was down are all run (otherwise at most one)
 * @param params   parameter values, defaults with {@code --set} overrides applied
 * @param pools    host pools declared in the file
 * @param tasks    in file order
 */
public record WorkflowDefinition(Path source, String id, String schedule, boolean catchup, Map<String, Object> params,
                                 Map<String, ConnectionDefinition> connections, Map<String, PoolDefinition> pools,
                                 Map<String, TaskDefinition> tasks) {

    /** The same workflow with the parameter values a run was started with. */
    public WorkflowDefinition withParams(Map<String, Object> values) {
        return new WorkflowDefinition(source, id, schedule, catchup, java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values)), connections, pools, tasks);
    }

    /** Every task that depends on {@code taskId}, directly or through others. */
    public java.util.Set<String> downstream(String taskId) {
        java.util.Set<String> found = new java.util.LinkedHashSet<>();
        java.util.List<String> frontier = new java.util.ArrayList<>(java.util.List.of(taskId));
        while (!frontier.isEmpty()) {
            String current = frontier.remove(0);
            for (TaskDefinition t : tasks.values()) {
                if (t.dependsOn().contains(current) && found.add(t.id())) {
                    frontier.add(t.id());
                }
            }
        }
        return found;
    }
}
