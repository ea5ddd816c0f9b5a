package io.caravan.core.engine;

import java.time.Duration;
import java.util.Map;

import io.caravan.core.ssh.SshTarget;
import io.caravan.core.workflow.TaskDefinition;

/**
 * One attempt of one task instance, templates already rendered.
 *
 * @param body    the rendered command or URI of a scalar kind; null for a mapping kind
 * @param options a mapping kind's options, templates rendered
 * @param target  the connection of a task that has one, else null
 */
public record TaskInvocation(String runId, TaskDefinition task, int itemIndex, Object item, int attempt, String body,
                             Map<String, Object> options, SshTarget target, Duration timeout) {

    /** "run/task[item]#attempt", for messages. */
    public String label() {
        return task.id() + (task.expand() == null ? "" : "[" + itemIndex + "]") + " attempt " + attempt;
    }
}
