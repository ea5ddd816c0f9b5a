package io.caravan.core.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.caravan.core.jobs.HostPool;
import io.caravan.core.ssh.SshTarget;
import io.caravan.core.workflow.TaskDefinition;

/**
 * One attempt of one task instance, templates already rendered.
 *
 * @param body    the rendered command or URI of a scalar kind; null for a mapping kind
 * @param options a mapping kind's options, templates rendered
 * @param target  the connection of a task aimed at one, else null
 * @param pool    the host pool of a task aimed at one, else null
 * @param log     where this attempt's log belongs; an executor that streams a log writes it there
 * @param runsOn  the pool host ({@code host:port}) where this attempt's job already runs when it is taken up
 *                again after its engine stopped or died: it is adopted there, never started elsewhere; else null
 */
public record TaskInvocation(
        String runId,
        TaskDefinition task,
        int itemIndex,
        Object item,
        int attempt,
        String body,
        Map<String, Object> options,
        SshTarget target,
        HostPool pool,
        Duration timeout,
        Path log,
        String runsOn) {

    /** "run/task[item]#attempt", for messages. */
    public String label() {
        return task.id() + (task.expand() == null ? "" : "[" + itemIndex + "]") + " attempt " + attempt;
    }
}
