package io.caravan.spi.plugin;

/**
 * The plugin API's version. A plugin returns this constant from {@link CaravanPlugin#apiVersion()}: the
 * compiler copies its value into the plugin's class, so it records the API the plugin was built against.
 * The host loads plugins of its own major version whose minor version is not newer than its own.
 * <p>1.2.0: {@code JobBackend.submitJobs} tells started jobs from adopted ones (a default keeps 1.1 backends working).
 * <p>1.3.0: {@code JobSpec.resources} (a task's {@code resources:} for the attempt), list options
 * ({@code JobSpec.listOption}) and {@code JobTaskType.optionProblems} (a task type checks its own options when the
 * workflow is loaded), and {@code JobDirectory} holds the rules for a job directory's base, id and path; all
 * additions, so 1.2 plugins work unchanged.
 */
public final class PluginApi {
    public static final String VERSION = "1.3.0";

    private PluginApi() {}
}
