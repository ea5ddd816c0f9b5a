package io.caravan.app.plugins;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import io.caravan.app.session.CaravanHome;
import io.caravan.core.plugins.LoadedPlugin;
import io.caravan.core.plugins.PluginLoader;
import io.caravan.core.plugins.Plugins;
import io.caravan.spi.plugin.PluginApi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code caravan plugins}: what is loaded, with versions and contributions, and what was refused and why. */
@Command(
        name = "plugins",
        mixinStandardHelpOptions = true,
        description = "List loaded plugins and what they contribute.")
public final class PluginsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Path> dirs = PluginDirectories.of(CaravanHome.resolve());
        Plugins plugins = PluginLoader.load(dirs, PluginsCommand.class.getClassLoader());
        out.println("plugin API " + PluginApi.VERSION + "; looked in " + dirs);
        if (plugins.loaded().isEmpty()) {
            out.println("no plugins loaded");
        }
        for (LoadedPlugin p : plugins.loaded()) {
            out.printf(
                    "%-12s %-10s (API %s, %s): %s%n",
                    p.name(), p.version(), p.apiVersion(), p.jar().getFileName(), p.contributions());
        }
        plugins.refused().forEach(r -> out.println("refused: " + r));
        out.flush();
        return 0;
    }
}
