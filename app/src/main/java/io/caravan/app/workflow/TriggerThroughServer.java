package io.caravan.app.workflow;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.caravan.core.engine.Json;
import io.caravan.core.storage.DatabaseHolder;

/**
 * {@code caravan trigger} while a server holds the embedded database (no other process may open it): the run is
 * started through the server's own API, authenticated with the token in CARAVAN_HOME, as the web UI would.
 */
final class TriggerThroughServer {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** What the server answered: the run's id, or why not (and the exit code to end with). */
    record Outcome(int exit, String message) {
    }

    private TriggerThroughServer() {
    }

    static Outcome trigger(Path home, DatabaseHolder.Holder server, String workflowId, Map<String, String> params)
            throws InterruptedException {
        String api = server.apiUrl().orElseThrow();
        String held = "the database in " + home + " is held by `" + server.command() + "` (pid " + server.pid() + ")";
        Path tokenFile = home.resolve("api-token");
        try {
            String token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
            HttpRequest request = HttpRequest.newBuilder(URI.create(api).resolve("api/workflows/"
                            + java.net.URLEncoder.encode(workflowId, StandardCharsets.UTF_8).replace("+", "%20") + "/trigger"))
                    .timeout(TIMEOUT)
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("params", params))))
                    .build();
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()
                    .send(request, HttpResponse.BodyHandlers.ofString());
            Object body = response.body().isBlank() ? Map.of() : Json.read(response.body());
            Map<?, ?> answer = body instanceof Map<?, ?> m ? m : Map.of();
            if (response.statusCode() == 202) {
                return new Outcome(0, "started run " + answer.get("run_id") + " of " + workflowId + " through `" + server.command()
                        + "` (pid " + server.pid() + ", " + api + ")");
            }
            int exit = response.statusCode() == 400 || response.statusCode() == 404 ? ValidateCommand.INVALID : 1;
            return new Outcome(exit, held + "; its API at " + api + " refused the trigger (" + response.statusCode() + "): "
                    + (answer.containsKey("error") ? answer.get("error") : response.body()));
        } catch (IOException | RuntimeException e) {
            return new Outcome(1, held + "; cannot reach its API at " + api + " with the token in " + tokenFile + ": " + e);
        }
    }
}
