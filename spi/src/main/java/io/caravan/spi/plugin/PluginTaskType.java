package io.caravan.spi.plugin;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

import io.caravan.spi.posix.ShellQuote;

/** A task type the plugin runs itself. */
public interface PluginTaskType {

    /** The YAML key, [a-z0-9_]+. */
    String name();

    /** The options its mapping accepts. */
    Set<String> options();

    /**
     * The options whose text is shell text (a command the plugin runs in a shell): their {@code {{ }}} values are
     * written for the quoting context each stands in, and one that stands where no quoting is safe is refused when
     * the workflow is loaded. The other options' values arrive as they are; a plugin that puts them into a command
     * quotes them there ({@link ShellQuote}). All options, unless the plugin says otherwise.
     */
    default Set<String> shellOptions() {
        return options();
    }

    /** Runs one attempt; the future's value is the task's output, an exception its failure. */
    CompletableFuture<Object> run(PluginTask task);
}
