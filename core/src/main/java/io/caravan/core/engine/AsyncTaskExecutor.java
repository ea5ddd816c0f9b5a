package io.caravan.core.engine;

import java.util.concurrent.CompletableFuture;

/**
 * Runs one kind of task without holding an engine thread while it waits: a remote job may run for hours.
 * The engine cancels the future when it stops; the executor then lets go of the attempt (a remote job keeps
 * running and is adopted when the attempt is taken up again).
 */
@FunctionalInterface
public interface AsyncTaskExecutor {
    CompletableFuture<TaskResult> start(TaskInvocation invocation);

    /**
     * The attempt's outcome is in the database: what the executor kept so that a taken-up attempt could find
     * its work again (a remote job's directory) may go now.
     */
    default void recorded(TaskInvocation invocation) {}
}
