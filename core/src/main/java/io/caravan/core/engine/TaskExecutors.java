package io.caravan.core.engine;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Executors by task kind ({@code ssh}, {@code shell}, …): core's built-ins, and what routes and plugins add. */
public final class TaskExecutors {
    private final Map<String, TaskExecutor> executors = new ConcurrentHashMap<>();

    public TaskExecutors register(String kind, TaskExecutor executor) {
        executors.put(kind, executor);
        return this;
    }

    public Optional<TaskExecutor> find(String kind) {
        return Optional.ofNullable(executors.get(kind));
    }
}
