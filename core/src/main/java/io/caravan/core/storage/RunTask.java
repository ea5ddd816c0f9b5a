package io.caravan.core.storage;

import io.caravan.core.runs.TaskState;

/**
 * One task of one run, whatever its number of items: the unit the engine advances.
 *
 * @param itemCount how many items the task was released with; null until it is released
 * @param outputJson the task's output once it has ended, or null
 */
public record RunTask(String runId, String taskId, TaskState state, Integer itemCount, String outputJson) {}
