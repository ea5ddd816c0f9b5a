package io.caravan.app.web;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.caravan.app.Version;
import io.caravan.app.server.Backfill;
import io.caravan.app.server.RunLauncher;
import io.caravan.app.server.WorkflowCatalog;
import io.caravan.core.plugins.Plugins;
import io.caravan.core.workflow.WorkflowLoader;

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
        return Map.of(
                "workflows",
                catalog.definitions().stream()
                        .map(w -> {
                            Map<String, Object> v = new LinkedHashMap<>();
                            v.put("id", w.id());
                            v.put("schedule", w.schedule());
                            v.put("tasks", List.copyOf(w.tasks().keySet()));
                            v.put("params", params(w.id()));
                            return v;
                        })
                        .toList(),
                "invalid",
                catalog.invalid().stream()
                        .map(bad -> Map.of(
                                "file", bad.file().toString(), "problem", bad.problem(), "problems", bad.problems()))
                        .toList());
    }

    private void known(String id) {
        try {
            catalog.get(id);
        } catch (IllegalArgumentException e) {
            throw ApiError.notFound(e.getMessage());
        }
    }

    /** Each param's type, default and rules, as a trigger form offers them. */
    private Map<String, Object> params(String id) {
        WorkflowCatalog.Entry entry = catalog.get(id);
        Map<String, Object> params = new LinkedHashMap<>();
        WorkflowLoader.paramSpecs(entry.definition().source(), entry.yaml())
                .forEach((name, spec) -> params.put(name, spec.view()));
        return params;
    }

    /** Starts a run now; body {@code {"params": {...}}} overrides params as {@code --set} would. */
    Object trigger(ApiRequest r) {
        String id = r.required("id");
        Map<String, String> overrides = TriggerParams.of(r);
        known(id);
        try {
            String runId = launcher.start(id, "api", overrides);
            return Map.of("run_id", runId);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }

    /**
     * A backfill: {@code ?from=DATE&to=DATE&parallel=N&rerun=false&dry_run=false}, body as a trigger's; answers with
     * what is done for each firing, and (unless a dry run) the server makes and drives the runs.
     */
    Object backfill(ApiRequest r) {
        String id = r.required("id");
        Map<String, String> overrides = TriggerParams.of(r);
        known(id);
        LocalDate from = date(r, "from");
        LocalDate to = date(r, "to");
        int parallel = r.integer("parallel", 1, 64);
        try {
            List<Backfill.Slot> plan = launcher.backfill(
                    id,
                    from,
                    to,
                    Math.max(1, parallel),
                    overrides,
                    "true".equals(r.text("rerun")),
                    "true".equals(r.text("dry_run")));
            return Map.of(
                    "slots",
                    plan.stream()
                            .map(s -> {
                                Map<String, Object> v = new LinkedHashMap<>();
                                v.put("date", s.date());
                                v.put("at", s.at().toString());
                                v.put("action", s.action().name().toLowerCase(Locale.ROOT));
                                v.put(
                                        "run_id",
                                        s.existing() == null
                                                ? null
                                                : s.existing().id());
                                v.put("why", s.why());
                                return v;
                            })
                            .toList(),
                    "lines",
                    plan.stream().map(Backfill.Slot::line).toList());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
    }

    private static LocalDate date(ApiRequest r, String name) {
        String text = r.required(name);
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest("?" + name + " must be a date as YYYY-MM-DD, got '" + text + "'");
        }
    }

    Object status(ApiRequest r) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("node", node);
        v.put("version", new Version().getVersion()[0]);
        v.put("workflows", catalog.definitions().size());
        return v;
    }

    Object plugins(ApiRequest r) {
        return Map.of(
                "plugins",
                plugins.loaded().stream()
                        .map(p -> {
                            Map<String, Object> v = new LinkedHashMap<>();
                            v.put("id", p.name());
                            v.put("version", p.version());
                            v.put("api_version", p.apiVersion());
                            v.put("contributes", List.of(p.contributions()));
                            return v;
                        })
                        .toList(),
                "refused",
                plugins.refused());
    }
}
