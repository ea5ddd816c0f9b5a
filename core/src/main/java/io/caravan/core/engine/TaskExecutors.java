package io.caravan.core.engine;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/** Executors by task kind ({@code ssh}, {@code shell}, …): core's built-ins, and what routes and plugins add. */
public final class TaskExecutors {
    private final Map<String, TaskExecutor> blocking = new ConcurrentHashMap<>();
    private final Map<String, AsyncTaskExecutor> async = new ConcurrentHashMap<>();

    /** A kind whose attempts block an engine worker thread while they run (short commands). */
    public TaskExecutors register(String kind, TaskExecutor executor) {
        async.remove(kind);
        blocking.put(kind, executor);
        return this;
    }

    /** A kind whose attempts complete a future instead of holding a thread (remote jobs). */
    public TaskExecutors registerAsync(String kind, AsyncTaskExecutor executor) {
        blocking.remove(kind);
        async.put(kind, executor);
        return this;
    }

    /** The kind's executor; blocking ones run on {@code workers}. */
    Optional<AsyncTaskExecutor> find(String kind, Executor workers) {
        AsyncTaskExecutor a = async.get(kind);
        if (a != null) {
            return Optional.of(a);
        }
        TaskExecutor b = blocking.get(kind);
        return b == null
                ? Optional.empty()
                : Optional.of(invocation -> CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return b.execute(invocation);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                throw new CancellationException("the engine is stopping");
                            } catch (Exception e) {
                                throw new CompletionException(e);
                            }
                        },
                        workers));
    }

    public boolean knows(String kind) {
        return async.containsKey(kind) || blocking.containsKey(kind);
    }
}
