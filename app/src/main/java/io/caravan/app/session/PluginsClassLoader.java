package io.caravan.app.session;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * Camel's application context class loader: the host's classes and resources, then each plugin's. Camel
 * finds a component by scheme through {@code META-INF/services/org/apache/camel/component/<scheme>} on this
 * loader, so a plugin's component resolves in users' YAML routes like a built-in one.
 */
final class PluginsClassLoader extends ClassLoader {
    private final List<ClassLoader> plugins;

    PluginsClassLoader(ClassLoader host, List<ClassLoader> plugins) {
        super("caravan-with-plugins", host);
        this.plugins = List.copyOf(plugins);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        for (ClassLoader plugin : plugins) {
            try {
                return plugin.loadClass(name);
            } catch (ClassNotFoundException e) {
                // the next plugin may have it
            }
        }
        throw new ClassNotFoundException(name);
    }

    @Override
    protected URL findResource(String name) {
        for (ClassLoader plugin : plugins) {
            URL url = plugin instanceof URLClassLoader own ? own.findResource(name) : plugin.getResource(name);
            if (url != null) {
                return url;
            }
        }
        return null;
    }

    @Override
    protected Enumeration<URL> findResources(String name) throws IOException {
        List<URL> all = new ArrayList<>();
        for (ClassLoader plugin : plugins) {
            // the plugin's own resources only: the host's already come from the parent
            all.addAll(Collections.list(
                    plugin instanceof URLClassLoader own ? own.findResources(name) : plugin.getResources(name)));
        }
        return Collections.enumeration(all);
    }
}
