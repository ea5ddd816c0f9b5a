package io.caravan.app.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.caravan.app.server.RunLauncher;
import io.caravan.app.server.WorkflowCatalog;
import io.caravan.core.plugins.Plugins;

/** The server's workflows, triggering one, and what the server is: its node, version, plugins. */
final class WorkflowsApi {
    private final WorkflowCatalog catalog;
    private final RunLauncher launcher;
    private final Plugins plugins;
    private final String node;

    WorkflowsApi(WorkflowCatalog catalog, RunLauncher launcher, Plugins plugins, String node) {
        this.catalog = catalog;
        this.launcher = launcher;
        this.plugins = plugins;
        this.node = node;
    }

    /** The loaded workflows, and the files left out as invalid with their first problem. */
    Object list(ApiRequest r) {
        return Map.of("workflows", catalog.definitions().stream().map(w -> {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("id", w.id());
            v.put("schedule", w.schedule());
            v.put("tasks", List.copyOf(w.tasks().keySet()));
            return v;
        }).toList(), "invalid", catalog.invalid().stream().map(bad -> Map.of("file", bad.file().toString(),
                "problem", bad.problem(), "problems", bad.problems())).toList());
    }

    /** Starts a run now; body {@code {"params": {...}}} overrides params as {@code --set} would. */
    Object trigger(ApiRequest r) {
        String id = r.required("id");
        Map<String, String> overrides = TriggerParams.of(r);
        try {
            catalog.get(id);
        } catch (IllegalArgumentException e) {
            throw ApiError.notFound(e.getMessage());
        }
        try {
            String runId = launcher.start(id, "api", overrides);
            return Map.of("run_id", runId);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }

    Object status(ApiRequest r) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("node", node);
        v.put("version", new io.caravan.app.Version().getVersion()[0]);
        v.put("workflows", catalog.definitions().size());
        return v;
    }

    Object plugins(ApiRequest r) {
        return Map.of("plugins", plugins.loaded().stream().map(p -> {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("id", p.name());
            v.put("version", p.version());
            v.put("api_version", p.apiVersion());
            v.put("contributes", List.of(p.contributions()));
            return v;
        }).toList(), "refused", plugins.refused());
    }
}
