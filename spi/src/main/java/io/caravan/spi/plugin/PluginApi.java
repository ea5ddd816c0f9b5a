package io.caravan.spi.plugin;

/**
 * The plugin API's version. A plugin returns this constant from {@link CaravanPlugin#apiVersion()}: the
 * compiler copies its value into the plugin's class, so it records the API the plugin was built against.
 * The host loads plugins of its own major version whose minor version is not newer than its own.
 * <p>1.2.0: {@code JobBackend.submitJobs} tells started jobs from adopted ones (a default keeps 1.1 backends working).
 * <p>1.3.0: {@code JobDirectory} holds the rules for a job directory's base, id and path (added only).
 */
public final class PluginApi {
    public static final String VERSION = "1.3.0";

    private PluginApi() {
    }
}
