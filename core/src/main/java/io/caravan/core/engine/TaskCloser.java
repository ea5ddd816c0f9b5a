package io.caravan.core.engine;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.caravan.core.runs.TaskState;
import io.caravan.core.storage.RunStore;
import io.caravan.core.workflow.TaskDefinition;

/** Ends a run's tasks: records the end state and output, and tells the listener and the notifications. */
final class TaskCloser {
    private final RunStore store;
    private final String runId;
    private final Clock clock;
    private final RunListener listener;
    private final RunNotices notices;

    TaskCloser(RunStore store, String runId, Clock clock, RunListener listener, RunNotices notices) {
        this.store = store;
        this.runId = runId;
        this.clock = clock;
        this.listener = listener;
        this.notices = notices;
    }

    /** Ends a running task once all its instances have: succeeded if every one did. Null while some have not ended. */
    TaskState closeIfAllEnded(TaskDefinition task) {
        if (store.anyUnfinished(runId, task.id())) {
            return null; // the usual answer while a task runs, found without counting its instances
        }
        Map<TaskState, Long> counts = store.counts(runId, task.id());
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        long ended = counts.entrySet().stream()
                .filter(e -> e.getKey().finished())
                .mapToLong(Map.Entry::getValue)
                .sum();
        if (ended != total) {
            return null;
        }
        boolean allSucceeded = counts.getOrDefault(TaskState.SUCCEEDED, 0L) == total;
        return end(task, allSucceeded ? TaskState.SUCCEEDED : TaskState.FAILED, output(task));
    }

    TaskState end(TaskDefinition task, TaskState end, String outputJson) {
        store.finishRunTask(runId, task.id(), end, outputJson, clock.instant());
        listener.taskEnded(task.id(), end);
        if (end == TaskState.SUCCEEDED) {
            notices.taskSucceeded(task);
        }
        return end;
    }

    /** A single instance's output, or the list of a fan-out's outputs in item order. */
    private String output(TaskDefinition task) {
        Map<Integer, String> outputs = store.outputs(runId, task.id());
        if (task.expand() == null) {
            return outputs.getOrDefault(0, null);
        }
        List<Object> list = new ArrayList<>();
        outputs.values().forEach(o -> list.add(Json.read(o)));
        return Json.write(list);
    }
}
