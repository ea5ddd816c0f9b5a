package io.caravan.core.engine;

/**
 * How an attempt ended.
 *
 * @param output what downstream templates see as {@code tasks.<id>.output}
 * @param log    text for {@code caravan logs}
 * @param error  why it failed, or null
 */
public record TaskResult(boolean succeeded, Object output, String log, String error) {

    public static TaskResult success(Object output, String log) {
        return new TaskResult(true, output, log, null);
    }

    public static TaskResult failure(String error, String log) {
        return new TaskResult(false, null, log, error);
    }
}
