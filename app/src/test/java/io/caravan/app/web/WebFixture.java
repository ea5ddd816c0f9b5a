package io.caravan.app.web;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.caravan.app.server.CaravanServer;
import io.caravan.app.session.DatabaseOptions;
import io.caravan.core.engine.Json;

/** An in-process {@code caravan server} with its web UI and API on a free loopback port, and a client for it. */
final class WebFixture implements AutoCloseable {
    private final CaravanServer server;
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private WebFixture(CaravanServer server, String base) {
        this.server = server;
        this.base = base;
    }

    static WebFixture start(Path home, Path workflows) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        WebServer.Settings web = new WebServer.Settings(WebServer.Settings.LOOPBACK, port);
        CaravanServer server = CaravanServer.start(new CaravanServer.Settings(home, new DatabaseOptions(), workflows,
                home.resolve("routes"), Duration.ofSeconds(60), web));
        return new WebFixture(server, "http://127.0.0.1:" + port);
    }

    String url() {
        return base;
    }

    String token() {
        return server.token().orElseThrow().value();
    }

    CaravanServer server() {
        return server;
    }

    /** One answer: status and raw body, the body parsed as JSON when it is. */
    record Answer(int status, String body) {
        @SuppressWarnings("unchecked")
        Map<String, Object> json() {
            return (Map<String, Object>) Json.read(body);
        }
    }

    Answer get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    Answer post(String path, String token, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b);
    }

    private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
