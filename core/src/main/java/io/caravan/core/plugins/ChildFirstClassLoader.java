package io.caravan.core.plugins;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * A plugin's class loader: its own JAR first, so a plugin may bundle another version of a library the host
 * also uses; the host's API packages (and the JDK) always from the host, so both sides share one
 * {@code CaravanPlugin}, one {@code JobBackend}, one Camel {@code Component}.
 */
final class ChildFirstClassLoader extends URLClassLoader {
    /** What the host shares with every plugin. */
    static final List<String> HOST_PACKAGES = List.of(
            "java.",
            "javax.",
            "jakarta.",
            "jdk.",
            "sun.",
            "com.sun.",
            "io.caravan.spi.",
            "org.apache.camel.",
            "org.slf4j.");

    static {
        registerAsParallelCapable();
    }

    ChildFirstClassLoader(String name, URL[] jars, ClassLoader host) {
        super(name, jars, host);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null && !fromHost(name)) {
                try {
                    c = findClass(name);
                } catch (ClassNotFoundException e) {
                    // not in the plugin: the host may have it
                }
            }
            if (c == null) {
                c = getParent().loadClass(name);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    @Override
    public URL getResource(String name) {
        URL own = fromHost(name.replace('/', '.')) ? null : findResource(name);
        return own != null ? own : getParent().getResource(name);
    }

    /** Service files of the plugin API come from the plugin alone: a plugin must not discover the host's or another's. */
    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (name.startsWith("META-INF/services/io.caravan.spi.")) {
            return findResources(name);
        }
        List<URL> all = new ArrayList<>(Collections.list(findResources(name)));
        all.addAll(Collections.list(getParent().getResources(name)));
        return Collections.enumeration(all);
    }

    static boolean fromHost(String name) {
        return HOST_PACKAGES.stream().anyMatch(name::startsWith);
    }
}
