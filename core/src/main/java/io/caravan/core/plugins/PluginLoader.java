package io.caravan.core.plugins;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;

import io.caravan.core.storage.OwnerOnly;
import io.caravan.spi.plugin.CaravanPlugin;
import io.caravan.spi.plugin.JobTaskType;
import io.caravan.spi.plugin.PluginApi;
import io.caravan.spi.plugin.PluginRegistry;
import io.caravan.spi.plugin.PluginTaskType;
import io.caravan.spi.plugin.SemanticVersion;

/**
 * Loads every {@code *.jar} of the given directories, each in its own child-first class loader, and
 * discovers its {@link CaravanPlugin}s with {@link ServiceLoader}. A plugin built for an incompatible API,
 * or one that fails to register, is refused with a message and the others load regardless.
 */
public final class PluginLoader {
    private static final SemanticVersion API = SemanticVersion.parse(PluginApi.VERSION);

    private PluginLoader() {}

    public static Plugins load(List<Path> directories, ClassLoader host) {
        List<LoadedPlugin> loaded = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (Path jar : jars(directories)) {
            String unsafe = unsafe(jar);
            if (unsafe != null) {
                refused.add(unsafe);
                continue;
            }
            ClassLoader loader;
            try {
                loader = new ChildFirstClassLoader(
                        "plugin:" + jar.getFileName(), new URL[] {jar.toUri().toURL()}, host);
            } catch (MalformedURLException e) {
                refused.add(jar + ": " + e.getMessage());
                continue;
            }
            try {
                for (CaravanPlugin plugin : ServiceLoader.load(CaravanPlugin.class, loader)) {
                    String problem = incompatibility(plugin);
                    if (problem != null) {
                        refused.add(problem + " (" + jar.getFileName() + "): not loaded");
                        continue;
                    }
                    try {
                        loaded.add(register(plugin, jar, loader));
                    } catch (RuntimeException | LinkageError e) {
                        refused.add("plugin '" + plugin.name() + "' " + plugin.version() + " (" + jar.getFileName()
                                + ") failed to register: " + e);
                    }
                }
            } catch (ServiceConfigurationError | LinkageError e) {
                refused.add(jar.getFileName() + ": cannot load its plugins: " + e.getMessage());
            }
        }
        return new Plugins(List.copyOf(loaded), List.copyOf(refused));
    }

    private static String incompatibility(CaravanPlugin plugin) {
        String needs = plugin.apiVersion();
        try {
            if (API.provides(SemanticVersion.parse(needs))) {
                return null;
            }
        } catch (IllegalArgumentException e) {
            // unreadable: refused below with the text it gave
        }
        return "plugin '" + plugin.name() + "' " + plugin.version() + " needs plugin API " + needs
                + "; this Caravan provides plugin API " + API;
    }

    private static LoadedPlugin register(CaravanPlugin plugin, Path jar, ClassLoader loader) {
        List<JobTaskType> jobTypes = new ArrayList<>();
        List<PluginTaskType> types = new ArrayList<>();
        Map<String, Object> components = new LinkedHashMap<>();
        plugin.register(new PluginRegistry() {
            @Override
            public void jobTaskType(JobTaskType type) {
                jobTypes.add(type);
            }

            @Override
            public void taskType(PluginTaskType type) {
                types.add(type);
            }

            @Override
            public void camelComponent(String scheme, Object component) {
                components.put(scheme, component);
            }
        });
        return new LoadedPlugin(
                plugin.name(),
                plugin.version(),
                plugin.apiVersion(),
                jar,
                loader,
                List.copyOf(jobTypes),
                List.copyOf(types),
                Map.copyOf(components));
    }

    /**
     * A plugin runs inside the engine with the user's keys: a JAR (or its directory) that group or others may
     * write could be swapped by them, so it is not loaded (as OpenSSH's StrictModes refuses such key files).
     */
    private static String unsafe(Path jar) {
        try {
            for (Path p : new Path[] {jar, jar.toAbsolutePath().getParent()}) {
                if (OwnerOnly.othersMayWrite(p)) {
                    return p + " is writable by group or others (" + OwnerOnly.mode(p)
                            + "): not loaded; fix it with: chmod go-w " + p;
                }
            }
            return null;
        } catch (IOException e) {
            return jar + ": cannot read its permissions: " + e.getMessage() + "; not loaded";
        }
    }

    private static List<Path> jars(List<Path> directories) {
        List<Path> jars = new ArrayList<>();
        for (Path dir : directories) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(jars::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list plugins in " + dir, e);
            }
        }
        return jars;
    }
}
