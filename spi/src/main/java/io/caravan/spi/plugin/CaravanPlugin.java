package io.caravan.spi.plugin;

/**
 * A plugin JAR's entry point, found with {@link java.util.ServiceLoader} through
 * {@code META-INF/services/io.caravan.spi.plugin.CaravanPlugin}.
 */
public interface CaravanPlugin {

    /** Short name, [a-z0-9-]+. */
    String name();

    /** The plugin's own version. */
    String version();

    /** The plugin API it was built against: return {@link PluginApi#VERSION}. */
    String apiVersion();

    /** Contributes the plugin's task types, job backends and Camel components. */
    void register(PluginRegistry registry);
}
