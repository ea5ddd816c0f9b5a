package io.caravan.core.engine;

/**
 * Runs one kind of task. Called on an engine worker thread; it must honour the invocation's timeout
 * and return promptly when interrupted.
 */
@FunctionalInterface
public interface TaskExecutor {
    TaskResult execute(TaskInvocation invocation) throws Exception;
}
