package io.caravan.spi.plugin;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** A task type the plugin runs itself. */
public interface PluginTaskType {

    /** The YAML key, [a-z0-9_]+. */
    String name();

    /** The options its mapping accepts. */
    Set<String> options();

    /** Runs one attempt; the future's value is the task's output, an exception its failure. */
    CompletableFuture<Object> run(PluginTask task);
}
