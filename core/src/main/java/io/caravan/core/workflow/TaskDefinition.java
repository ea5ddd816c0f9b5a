package io.caravan.core.workflow;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One task of a workflow, with the workflow's defaults already applied.
 *
 * @param body       the template of a scalar kind (the command, the endpoint URI); null for a mapping kind
 * @param options    a mapping kind's keys: strings are {@link Template}s, other values plain
 * @param target     connection name, or null
 * @param expand     fan-out, or null for a single instance
 * @param maxActive  instances of this task running at once
 * @param line       where the task starts in its file, for messages at run time
 * @param notifications the task's on_* endpoints and sla
 * @param resources  what each attempt asks of where it runs ({@code resources:}, over those of {@code defaults:})
 */
public record TaskDefinition(
        String id,
        TaskKind kind,
        Template body,
        Map<String, Object> options,
        List<String> dependsOn,
        TriggerRule triggerRule,
        int retries,
        Duration retryDelay,
        Duration timeout,
        String target,
        Expand expand,
        int maxActive,
        int line,
        Notifications notifications,
        Resources resources) {

    public TaskDefinition {
        resources = resources == null ? Resources.NONE : resources;
    }
}
