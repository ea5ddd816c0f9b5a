package io.caravan.core.plugins;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.caravan.spi.plugin.JobTaskType;
import io.caravan.spi.plugin.PluginTaskType;

/**
 * A plugin that loaded, with what it contributes.
 *
 * @param components Camel components by scheme ({@code org.apache.camel.Component} instances)
 */
public record LoadedPlugin(
        String name,
        String version,
        String apiVersion,
        Path jar,
        ClassLoader loader,
        List<JobTaskType> jobTaskTypes,
        List<PluginTaskType> taskTypes,
        Map<String, Object> components) {

    /** "task types: a, b; Camel components: c", for {@code caravan plugins}. */
    public String contributions() {
        List<String> parts = new ArrayList<>();
        List<String> types = new ArrayList<>();
        jobTaskTypes.forEach(t -> types.add(t.name() + " (jobs)"));
        taskTypes.forEach(t -> types.add(t.name()));
        if (!types.isEmpty()) {
            parts.add("task types: " + String.join(", ", types));
        }
        if (!components.isEmpty()) {
            parts.add("Camel components: " + String.join(", ", components.keySet()));
        }
        return parts.isEmpty() ? "nothing" : String.join("; ", parts);
    }
}
