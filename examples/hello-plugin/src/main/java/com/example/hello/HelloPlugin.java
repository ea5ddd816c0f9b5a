package com.example.hello;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.PackageVersion;
import io.caravan.spi.plugin.CaravanPlugin;
import io.caravan.spi.plugin.PluginApi;
import io.caravan.spi.plugin.PluginRegistry;
import io.caravan.spi.plugin.PluginTask;
import io.caravan.spi.plugin.PluginTaskType;

/** Adds the task type {@code hello: { name: … }} and the Camel component {@code hello:}. */
public final class HelloPlugin implements CaravanPlugin {

    @Override
    public String name() {
        return "hello";
    }

    @Override
    public String version() {
        return "1.0.0";
    }

    @Override
    public String apiVersion() {
        return PluginApi.VERSION; // copied in at compile time: the API this plugin was built against
    }

    @Override
    public void register(PluginRegistry registry) {
        registry.taskType(new PluginTaskType() {
            @Override
            public String name() {
                return "hello";
            }

            @Override
            public Set<String> options() {
                return Set.of("name");
            }

            @Override
            public Set<String> shellOptions() {
                return Set.of(); // a name to greet, not a command: its {{ }} values arrive as they are
            }

            @Override
            public CompletableFuture<Object> run(PluginTask task) {
                return CompletableFuture.completedFuture(
                        Greeting.of(String.valueOf(task.options().get("name"))));
            }
        });
        registry.camelComponent("hello", new HelloComponent());
    }

    /** The greeting, and which Jackson wrote it: the plugin's own, whatever the host uses. */
    static final class Greeting {
        private Greeting() {}

        static String of(String name) {
            try {
                String json = new ObjectMapper().writeValueAsString(Map.of("greeting", "hello, " + name));
                return json + " (jackson " + PackageVersion.VERSION + ")";
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
