package io.caravan.spi.plugin;

/**
 * The plugin API's version. A plugin returns this constant from {@link CaravanPlugin#apiVersion()}: the
 * compiler copies its value into the plugin's class, so it records the API the plugin was built against.
 * The host loads plugins of its own major version whose minor version is not newer than its own.
 */
public final class PluginApi {
    public static final String VERSION = "1.1.0";

    private PluginApi() {
    }
}
