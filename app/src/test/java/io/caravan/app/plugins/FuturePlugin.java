package io.caravan.app.plugins;

import io.caravan.spi.plugin.CaravanPlugin;
import io.caravan.spi.plugin.PluginRegistry;

/** A plugin built for a plugin API this Caravan does not provide; packed into a JAR by the test. */
public final class FuturePlugin implements CaravanPlugin {

    @Override
    public String name() {
        return "future";
    }

    @Override
    public String version() {
        return "3.1.0";
    }

    @Override
    public String apiVersion() {
        return "2.0.0";
    }

    @Override
    public void register(PluginRegistry registry) {
        throw new AssertionError("an incompatible plugin must never be asked to register");
    }
}
