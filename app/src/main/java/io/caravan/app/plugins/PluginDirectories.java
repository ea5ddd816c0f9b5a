package io.caravan.app.plugins;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where plugin JARs are looked for: the distribution's bundled plugins ({@code -Dcaravan.plugins.bundled},
 * set by {@code ./caravan}), then {@code --plugins DIR} ({@code -Dcaravan.plugins}) or else
 * {@code CARAVAN_HOME/plugins}.
 */
public final class PluginDirectories {
    private PluginDirectories() {}

    public static List<Path> of(Path home) {
        List<Path> dirs = new ArrayList<>();
        String bundled = System.getProperty("caravan.plugins.bundled");
        if (bundled != null && !bundled.isBlank()) {
            dirs.add(Path.of(bundled));
        }
        String given = System.getProperty("caravan.plugins");
        dirs.add(given != null && !given.isBlank() ? Path.of(given) : home.resolve("plugins"));
        return dirs;
    }
}
