package io.caravan.app.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;

import io.caravan.core.engine.Json;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every request meets, whatever its route: the security headers on any answer it gets, the Host check
 * (DNS rebinding), and the token for the API and the metrics, all before an exchange exists, so the token
 * never enters a Camel message; after the routes, a 404 that tells nothing, and failures answered without
 * their internals.
 */
final class RequestGuard {
    private static final Logger LOG = LoggerFactory.getLogger(RequestGuard.class);
    static final Map<String, String> SECURITY_HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer");

    private final AllowedHosts hosts;
    private final ApiToken token;

    RequestGuard(AllowedHosts hosts, ApiToken token) {
        this.hosts = hosts;
        this.token = token;
    }

    /** The first handler of every request. */
    void screen(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        ctx.addHeadersEndHandler(v -> secure(response));
        if (!addressedHere(ctx.request())) {
            json(
                    ctx,
                    421,
                    "this server does not answer to that Host name (its owner can allow one with --allowed-host NAME)");
            return;
        }
        String path = ctx.normalizedPath();
        if (needsToken(path)) {
            response.putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            if (!token.accepts(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
                response.putHeader("WWW-Authenticate", "Bearer");
                json(
                        ctx,
                        401,
                        "this needs the server's token: send 'Authorization: Bearer TOKEN'"
                                + " (the token is in CARAVAN_HOME/api-token on the server's machine)");
                return;
            }
            String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
            if (type != null && !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                // a form's fields would be parsed away and the body lost: say so rather than run without it
                json(ctx, 415, "send the body as JSON, with 'Content-Type: application/json'");
                return;
            }
        }
        ctx.next();
    }

    /**
     * Named by one Host header (two are a malformed request), and by the request line too when it carries an
     * address ({@code GET http://host/path}), which HTTP says wins over the header.
     */
    private boolean addressedHere(HttpServerRequest request) {
        HostAndPort authority = request.authority();
        if (authority == null
                || request.headers().getAll(HttpHeaders.HOST).size() > 1
                || !hosts.allows(authority.host(), authority.port())) {
            return false;
        }
        String target = request.uri();
        if (target.startsWith("/")) {
            return true;
        }
        try {
            URI uri = new URI(target);
            return uri.getHost() != null && hosts.allows(uri.getHost(), uri.getPort());
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** After every route: nothing matched. */
    void notFound(RoutingContext ctx) {
        if (isApi(ctx.normalizedPath())) {
            json(ctx, 404, "not found");
        } else {
            secure(ctx.response())
                    .setStatusCode(404)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .end("not found");
        }
    }

    /** A handler failed, or Vert.x refused the request (413 for a body over the cap). */
    void failed(RoutingContext ctx) {
        if (ctx.response().headWritten()) {
            ctx.response().close(); // half an answer went out: the client must not take it for a whole one
            return;
        }
        int status = ctx.statusCode();
        if (status == 413) {
            Future<Void> sent = json(ctx, 413, "the request body is over " + WebServer.MAX_BODY / 1024 + " KiB");
            if (ctx.request().version() != HttpVersion.HTTP_2) {
                // the rest of the body is not wanted: the connection goes rather than carry it (HTTP/2 drops the
                // stream)
                sent.onComplete(done -> ctx.request().connection().close());
            }
        } else if (status >= 400 && status < 500) {
            json(ctx, status, HttpResponseStatus.valueOf(status).reasonPhrase().toLowerCase(Locale.ROOT));
        } else {
            json(
                    ctx,
                    500,
                    ApiError.internal(LOG, ctx.request().method() + " " + ctx.normalizedPath(), ctx.failure())
                            .getMessage());
        }
    }

    static boolean needsToken(String path) {
        return isApi(path) || path.startsWith("/metrics");
    }

    private static boolean isApi(String path) {
        return path.startsWith("/api");
    }

    /** Set here as well as when the headers go out: a request refused before {@link #screen} carries them too. */
    private static HttpServerResponse secure(HttpServerResponse response) {
        SECURITY_HEADERS.forEach(response.headers()::set);
        return response;
    }

    private static Future<Void> json(RoutingContext ctx, int status, String error) {
        return secure(ctx.response())
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(Json.write(Map.of("error", error)));
    }
}
