package io.caravan.core.workflow;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;

/** The tasks that depend on a task, directly or through others. */
public final class Downstream {
    private Downstream() {}

    /** In breadth-first order from {@code taskId}; the task itself is not included. */
    public static Set<String> of(WorkflowDefinition workflow, String taskId) {
        Set<String> found = new LinkedHashSet<>();
        Deque<String> frontier = new ArrayDeque<>(Set.of(taskId));
        while (!frontier.isEmpty()) {
            String current = frontier.poll();
            for (TaskDefinition t : workflow.tasks().values()) {
                if (t.dependsOn().contains(current) && found.add(t.id())) {
                    frontier.add(t.id());
                }
            }
        }
        return found;
    }
}
