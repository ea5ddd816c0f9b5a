package io.caravan.app.web;

import java.util.LinkedHashMap;
import java.util.Map;

import io.caravan.core.engine.Json;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The REST API of docs/api.md as platform-http routes; every POST needs the token. */
final class ApiRoutes extends RouteBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(ApiRoutes.class);

    /** One endpoint's work: the request in, a JSON-able answer out, or an {@link ApiError}. */
    @FunctionalInterface
    interface Handler {
        Object handle(ApiRequest request);
    }

    private final ApiToken token;
    private final RunsApi runs;
    private final ItemsApi items;
    private final HostsApi hosts;
    private final CleanupApi cleanup;
    private final WorkflowsApi workflows;
    private final MetricsText metrics;

    ApiRoutes(ApiToken token, RunsApi runs, ItemsApi items, HostsApi hosts, CleanupApi cleanup, WorkflowsApi workflows,
              MetricsText metrics) {
        this.metrics = metrics;
        this.token = token;
        this.runs = runs;
        this.items = items;
        this.hosts = hosts;
        this.cleanup = cleanup;
        this.workflows = workflows;
    }

    @Override
    public void configure() {
        get("/api/status", workflows::status);
        get("/api/workflows", workflows::list);
        post("/api/workflows/{id}/trigger", workflows::trigger, 202);
        get("/api/runs", runs::list);
        get("/api/runs/{run}", runs::get);
        post("/api/runs/{run}/cancel", runs::cancel, 200);
        get("/api/runs/{run}/tasks/{task}/items", items::list);
        get("/api/runs/{run}/tasks/{task}/items/{index}", items::get);
        get("/api/runs/{run}/tasks/{task}/items/{index}/log", items::log);
        post("/api/runs/{run}/tasks/{task}/items/{index}/retry", items::retry, 200);
        get("/api/hosts", hosts::hosts);
        get("/api/pools", hosts::pools);
        get("/api/cleanup", cleanup::list);
        post("/api/cleanup/{id}/retry", cleanup::retry, 200);
        get("/api/plugins", workflows::plugins);
        from("platform-http:/metrics?httpMethodRestrict=GET").process(e -> {
            e.getMessage().removeHeaders("*");
            e.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            e.getMessage().setBody(metrics.render());
        });
    }

    private void get(String path, Handler handler) {
        from("platform-http:" + path + "?httpMethodRestrict=GET").process(e -> answer(e, handler, false, 200));
    }

    private void post(String path, Handler handler, int status) {
        from("platform-http:" + path + "?httpMethodRestrict=POST").process(e -> answer(e, handler, true, status));
    }

    private void answer(Exchange exchange, Handler handler, boolean changes, int status) {
        Map<String, Object> params = new LinkedHashMap<>(exchange.getMessage().getHeaders());
        String authorization = exchange.getMessage().getHeader("Authorization", String.class);
        String body = changes ? exchange.getMessage().getBody(String.class) : null;
        // nothing of the request goes back: request headers (the token among them) would be echoed otherwise
        exchange.getMessage().removeHeaders("*");
        int code = status;
        Object answer;
        if (changes && !token.accepts(authorization)) {
            code = 401;
            answer = Map.of("error", "this needs the server's token: send 'Authorization: Bearer TOKEN' (the token is in "
                    + token.file() + ")");
        } else {
            try {
                answer = handler.handle(new ApiRequest(params, body));
            } catch (ApiError e) {
                code = e.status();
                answer = Map.of("error", e.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("{} {} failed", params.get(Exchange.HTTP_METHOD), params.get(Exchange.HTTP_URI), e);
                code = 500;
                answer = Map.of("error", e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, code);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        exchange.getMessage().setHeader("Cache-Control", "no-store");
        exchange.getMessage().setBody(Json.write(answer));
    }
}
