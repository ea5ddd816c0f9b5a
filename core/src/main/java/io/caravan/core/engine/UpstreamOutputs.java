package io.caravan.core.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.caravan.core.storage.RunStore;
import io.caravan.core.storage.RunTask;

/**
 * The outputs of a run's tasks as templates name them ({@code {{ tasks.x.output }}}), each read once: a fan-out of
 * a thousand items renders a thousand templates.
 */
final class UpstreamOutputs implements Function<String, Object> {
    private final RunStore store;
    private final String runId;
    private final Map<String, Object> cache = new ConcurrentHashMap<>();

    UpstreamOutputs(RunStore store, String runId) {
        this.store = store;
        this.runId = runId;
    }

    /** The task's output, its JSON text parsed when it holds structure; "" when it has none. */
    @Override
    public Object apply(String taskId) {
        return cache.computeIfAbsent(taskId, id -> {
            String json = store.runTasks(runId).stream()
                    .filter(t -> t.taskId().equals(id))
                    .findFirst()
                    .map(RunTask::outputJson)
                    .orElse(null);
            Object value = Json.read(json);
            return value instanceof String text ? Json.structured(text) : value == null ? "" : value;
        });
    }
}
