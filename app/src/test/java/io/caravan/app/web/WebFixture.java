package io.caravan.app.web;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.caravan.app.server.CaravanServer;
import io.caravan.app.session.DatabaseOptions;
import io.caravan.core.engine.Json;

/**
 * An in-process {@code caravan server} with its web UI and API on a free loopback port, and a client for it
 * that sends the server's token unless told otherwise.
 */
final class WebFixture implements AutoCloseable {
    private final CaravanServer server;
    private final String base;
    private final int port;
    /** HTTP/1.1, as browsers and curl speak to a plain-HTTP server (Java's client would try h2c). */
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private WebFixture(CaravanServer server, int port) {
        this.server = server;
        this.port = port;
        this.base = "http://127.0.0.1:" + port;
    }

    static WebFixture start(Path home, Path workflows) throws Exception {
        return start(home, workflows, List.of());
    }

    /** @param allowedHosts as {@code --allowed-host} gives them */
    static WebFixture start(Path home, Path workflows, List<String> allowedHosts) throws Exception {
        int port = freePort();
        WebServer.Settings web = new WebServer.Settings(WebServer.Settings.LOOPBACK, port, allowedHosts, null);
        CaravanServer server = CaravanServer.start(new CaravanServer.Settings(
                home, new DatabaseOptions(), workflows, home.resolve("routes"), Duration.ofSeconds(60), web));
        return new WebFixture(server, port);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    String url() {
        return base;
    }

    int port() {
        return port;
    }

    String token() {
        return server.token().orElseThrow().value();
    }

    CaravanServer server() {
        return server;
    }

    /** One answer: status, headers and raw body, the body parsed as JSON when it is. */
    record Answer(int status, Map<String, List<String>> headers, String body) {
        @SuppressWarnings("unchecked")
        Map<String, Object> json() {
            return (Map<String, Object>) Json.read(body);
        }

        /** The first value of a header, its name in any case; null when absent. */
        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }
    }

    /** A GET with the token. */
    Answer get(String path) throws IOException, InterruptedException {
        return get(path, token());
    }

    /** A GET with this token; none when null. */
    Answer get(String path, String token) throws IOException, InterruptedException {
        return send(authorized(HttpRequest.newBuilder(URI.create(base + path)).GET(), token));
    }

    Answer post(String path, String token, String body) throws IOException, InterruptedException {
        return post(path, token, body, body == null ? null : "application/json");
    }

    /** A POST with this token (none when null) and body (none when null) of this type (none when null). */
    Answer post(String path, String token, String body, String type) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        return send(authorized(b, token));
    }

    /**
     * A request as written, with header lines Java's client refuses to send ({@code "Host: evil.example"}); no
     * token unless a line carries it; {@code Connection: close} is added.
     */
    Answer raw(String method, String target, String... headers) throws IOException {
        return RawHttp.exchange("127.0.0.1", port, method, target, List.of(headers));
    }

    private static HttpRequest.Builder authorized(HttpRequest.Builder request, String token) {
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> r =
                http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.headers().map(), r.body());
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
