package io.caravan.core.plugins;

import java.util.List;

/** What loading found: plugins that loaded, and why the others did not. */
public record Plugins(List<LoadedPlugin> loaded, List<String> refused) {

    public static final Plugins NONE = new Plugins(List.of(), List.of());

    /** Class loaders of every loaded plugin, for lookups that go through a class loader (Camel's). */
    public List<ClassLoader> loaders() {
        return loaded.stream().map(LoadedPlugin::loader).distinct().toList();
    }
}
