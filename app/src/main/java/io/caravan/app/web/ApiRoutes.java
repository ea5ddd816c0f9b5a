package io.caravan.app.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.caravan.core.engine.Json;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API of docs/api.md as platform-http routes, from one table that {@code GET /api} also answers with.
 * The token and the Host were checked before a request gets here ({@link RequestGuard}).
 */
final class ApiRoutes extends RouteBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(ApiRoutes.class);
    private static final Pattern PATH_PARAM = Pattern.compile("\\{([^/}]+)}");
    private static final String ONLY = "&headerFilterStrategy=#" + RequestHeaders.NONE;

    /** One endpoint's work: the request in, a JSON-able answer out, or an {@link ApiError}. */
    @FunctionalInterface
    interface Handler {
        Object handle(ApiRequest request);
    }

    /** One route: its method and path ({@code {name}} for a path parameter), what it does, and its success status. */
    private record Endpoint(
            String method, String path, String does, int status, Handler handler, List<String> pathParams) {
        Endpoint(String method, String path, String does, int status, Handler handler) {
            this(
                    method,
                    path,
                    does,
                    status,
                    handler,
                    PATH_PARAM.matcher(path).results().map(r -> r.group(1)).toList());
        }
    }

    private final List<Endpoint> endpoints;
    private final MetricsText metrics;

    ApiRoutes(
            RunsApi runs,
            ItemsApi items,
            HostsApi hosts,
            CleanupApi cleanup,
            WorkflowsApi workflows,
            MetricsText metrics) {
        this.metrics = metrics;
        String item = "/api/runs/{run}/tasks/{task}/items/{index}";
        this.endpoints = List.of(
                get("/api", "this list of the API's routes", r -> index()),
                get("/api/status", "the server: its node, version and number of workflows", workflows::status),
                get(
                        "/api/workflows",
                        "the server's workflows: id, schedule, tasks, params (type, default, rules)",
                        workflows::list),
                post(
                        "/api/workflows/{id}/trigger",
                        202,
                        "start a run now; body " + TriggerParams.SHAPE + " overrides params as --set does",
                        workflows::trigger),
                post(
                        "/api/workflows/{id}/backfill",
                        202,
                        "one run per firing of the schedule: ?from=DATE&to=DATE&parallel=1"
                                + "&rerun=false&dry_run=false, body as a trigger's; answers with each firing's date and action",
                        workflows::backfill),
                get("/api/runs", "runs, newest first: ?limit=50&offset=0&workflow=ID", runs::list),
                get("/api/runs/{run}", "one run with its tasks, one letter per item", runs::get),
                post(
                        "/api/runs/{run}/cancel",
                        200,
                        "cancel a run: its open items end, its remote jobs are killed",
                        runs::cancel),
                get(
                        "/api/runs/{run}/tasks/{task}/items",
                        "a task's items by index: ?state=failed&limit=100&offset=0",
                        items::list),
                get(item, "one item with its attempts", items::get),
                get(item + "/log", "up to 64 KiB of the current attempt's log from ?offset=N", items::log),
                post(
                        "/api/runs/{run}/tasks/{task}/clear",
                        200,
                        "clear a task of a finished run so it runs again in the run"
                                + " (new attempts, upstream outputs kept): ?downstream=true&failed_only=true",
                        items::clear),
                post(
                        item + "/retry",
                        200,
                        "retry a failed item: a new attempt, its task and run reopened",
                        items::retry),
                get("/api/hosts", "hosts: pools, slots, owner, this server's connection figures", hosts::hosts),
                get("/api/pools", "pools and their hosts' free slots", hosts::pools),
                get("/api/cleanup", "cleanup debts: job directories not removed yet", cleanup::list),
                post("/api/cleanup/{id}/retry", 200, "retry one cleanup debt now", cleanup::retry),
                get("/api/plugins", "plugins loaded and refused", workflows::plugins));
    }

    private static Endpoint get(String path, String does, Handler handler) {
        return new Endpoint("GET", path, does, 200, handler);
    }

    private static Endpoint post(String path, int status, String does, Handler handler) {
        return new Endpoint("POST", path, does, status, handler);
    }

    @Override
    public void configure() {
        for (Endpoint endpoint : endpoints) {
            from("platform-http:" + endpoint.path() + "?httpMethodRestrict=" + endpoint.method() + ONLY)
                    .process(e -> answer(e, endpoint));
        }
        from("platform-http:/metrics?httpMethodRestrict=GET" + ONLY).process(e -> {
            e.getMessage().removeHeaders("*");
            e.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            e.getMessage().setBody(metrics.render());
        });
    }

    private Object index() {
        List<Map<String, Object>> routes = new ArrayList<>(endpoints.stream()
                .map(e -> route(e.method(), e.path(), e.does()))
                .toList());
        routes.add(route("GET", "/metrics", "the server's figures in Prometheus' text format"));
        return Map.of("routes", routes);
    }

    private static Map<String, Object> route(String method, String path, String does) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("method", method);
        v.put("path", path);
        v.put("description", does);
        return v;
    }

    private void answer(Exchange exchange, Endpoint endpoint) {
        Message message = exchange.getMessage();
        String request = endpoint.method() + " " + message.getHeader(Exchange.HTTP_PATH, String.class);
        int code = endpoint.status();
        Object answer;
        try {
            Map<String, String> path = new LinkedHashMap<>();
            endpoint.pathParams().forEach(name -> path.put(name, message.getHeader(name, String.class)));
            String query = message.getHeader(Exchange.HTTP_RAW_QUERY, String.class);
            String body = endpoint.method().equals("POST") ? message.getBody(String.class) : null;
            answer = endpoint.handler().handle(ApiRequest.of(path, query, body));
        } catch (ApiError e) {
            code = e.status();
            answer = Map.of("error", e.getMessage());
        } catch (RuntimeException e) {
            code = 500;
            answer = Map.of("error", ApiError.internal(LOG, request, e).getMessage());
        }
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, code);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        message.setBody(Json.write(answer));
    }
}
