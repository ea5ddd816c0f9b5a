package io.caravan.core.engine;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.caravan.core.runs.TaskState;
import io.caravan.core.storage.RunStore;
import io.caravan.core.storage.RunTask;
import io.caravan.core.workflow.TaskDefinition;

/**
 * Moves a pending task on once its upstream has ended: its trigger rule says whether it runs; if it does, its
 * items are expanded and its instances made READY, one per item, else it ends at once (skipped, upstream failed).
 */
final class PendingTasks {
    private final RunStore store;
    private final String runId;
    private final Clock clock;
    private final RunListener listener;
    private final RunNotices notices;
    private final RunValues values;
    private final TaskCloser closer;

    PendingTasks(
            RunStore store,
            String runId,
            Clock clock,
            RunListener listener,
            RunNotices notices,
            RunValues values,
            TaskCloser closer) {
        this.store = store;
        this.runId = runId;
        this.clock = clock;
        this.listener = listener;
        this.notices = notices;
        this.values = values;
        this.closer = closer;
    }

    /** The task's state after this pass: still PENDING, RUNNING once made ready, or the end its trigger rule gave it. */
    TaskState makeReady(TaskDefinition task, Map<String, RunTask> tasks) {
        List<TaskState> upstream =
                task.dependsOn().stream().map(d -> tasks.get(d).state()).toList();
        if (!upstream.stream().allMatch(TaskState::finished)) {
            return TaskState.PENDING;
        }
        TaskState decision = TriggerRules.decide(task.triggerRule(), upstream);
        if (decision != TaskState.RUNNING) {
            return closer.end(task, decision, null);
        }
        List<Object> items;
        try {
            items = ItemExpansion.items(task.expand(), values.with(null));
        } catch (IllegalArgumentException e) {
            listener.attemptEnded(task.id(), 0, TaskState.FAILED, e.getMessage());
            notices.taskFailed(task, e.getMessage());
            return closer.end(task, TaskState.FAILED, Json.write(Map.of("error", e.getMessage())));
        }
        store.makeReady(
                runId, task.id(), items.stream().map(Json::write).toList(), task.retries() + 1, clock.instant());
        listener.taskReady(task.id(), items.size());
        return TaskState.RUNNING;
    }
}
