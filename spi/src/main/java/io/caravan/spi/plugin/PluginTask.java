package io.caravan.spi.plugin;

import java.time.Duration;
import java.util.Map;

/**
 * One attempt of a plugin task, templates rendered.
 *
 * @param item    the fan-out item, or null
 * @param options the task's options
 */
public record PluginTask(
        String runId,
        String taskId,
        int itemIndex,
        Object item,
        int attempt,
        Map<String, Object> options,
        Duration timeout) {}
