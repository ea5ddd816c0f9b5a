package io.caravan.spi.plugin;

/** What a plugin can add to the host. */
public interface PluginRegistry {

    /**
     * A task type whose attempts are detached jobs on the plugin's backend. The host supervises them as it
     * does {@code remote_job}: batched submit and poll, logs, outputs, timeouts, cleanup and its debts.
     */
    void jobTaskType(JobTaskType type);

    /** A task type the plugin runs itself. */
    void taskType(PluginTaskType type);

    /** A Camel component under {@code scheme}; {@code component} is an {@code org.apache.camel.Component}. */
    void camelComponent(String scheme, Object component);
}
