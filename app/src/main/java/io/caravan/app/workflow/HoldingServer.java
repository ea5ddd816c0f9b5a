package io.caravan.app.workflow;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.caravan.app.session.DatabaseOptions;
import io.caravan.core.engine.Json;
import io.caravan.core.storage.DatabaseHolder;

/**
 * The {@code caravan server} that holds the embedded database, which no other process may open: commands that
 * need what is in it go through its API instead, authenticated with the token in CARAVAN_HOME as the web UI is.
 */
final class HoldingServer {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Path home;
    private final DatabaseHolder.Holder server;
    private final String api;

    /** What the server answered: a line to print and the exit code to end with. */
    record Outcome(int exit, String message) {
        /** Prints the message where it belongs (out once done, err when refused); the exit code to end with. */
        int print(PrintWriter out, PrintWriter err) {
            (exit == 0 ? out : err).println(message);
            out.flush();
            err.flush();
            return exit;
        }
    }

    private HoldingServer(Path home, DatabaseHolder.Holder server) {
        this.home = home;
        this.server = server;
        this.api = server.apiUrl().orElseThrow();
    }

    /** The server holding the embedded database in {@code home}, if one does and serves its API. */
    static Optional<HoldingServer> of(Path home, DatabaseOptions database) {
        return database.config(home)
                .embeddedDirectory()
                .flatMap(DatabaseHolder::holderOf)
                .filter(h -> h.apiUrl().isPresent())
                .map(h -> new HoldingServer(home, h));
    }

    Outcome trigger(String workflowId, Map<String, String> params) throws InterruptedException {
        return post(
                "api/workflows/" + encoded(workflowId) + "/trigger",
                Json.write(Map.of("params", params)),
                202,
                "the trigger",
                answer -> "started run " + answer.get("run_id") + " of " + workflowId + " " + through());
    }

    /** Clears a task of a finished run through the server, which then runs it again. */
    Outcome clear(String runId, String taskId, boolean downstream, boolean failedOnly) throws InterruptedException {
        return post(
                "api/runs/" + encoded(runId) + "/tasks/" + encoded(taskId) + "/clear?downstream=" + downstream
                        + "&failed_only=" + failedOnly,
                "{}",
                200,
                "the clear",
                answer -> "cleared " + answer.get("cleared") + " of run " + runId + "; the server runs them again "
                        + through());
    }

    /** Asks the server to backfill: it lists the firings and makes and drives their runs itself. */
    @SuppressWarnings("unchecked")
    Outcome backfill(
            String workflowId,
            LocalDate from,
            LocalDate to,
            int parallel,
            Map<String, String> params,
            boolean rerun,
            boolean dryRun)
            throws InterruptedException {
        return post(
                "api/workflows/" + encoded(workflowId) + "/backfill?from=" + from + "&to=" + to + "&parallel="
                        + parallel + "&rerun=" + rerun + "&dry_run=" + dryRun,
                Json.write(Map.of("params", params)),
                202,
                "the backfill",
                answer -> String.join("\n", (List<String>) answer.get("lines")) + "\n"
                        + (dryRun ? "dry run: nothing started" : "the server runs them " + through()));
    }

    private Outcome post(String path, String body, int ok, String what, Function<Map<?, ?>, String> done)
            throws InterruptedException {
        try {
            HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
            Map<?, ?> answer = json(response);
            if (response.statusCode() == ok) {
                return new Outcome(0, done.apply(answer));
            }
            int exit = response.statusCode() == 400 || response.statusCode() == 404 || response.statusCode() == 409
                    ? ValidateCommand.INVALID
                    : 1;
            return new Outcome(
                    exit,
                    held() + "; its API at " + api + " refused " + what + " (" + response.statusCode() + "): "
                            + (answer.containsKey("error") ? answer.get("error") : response.body()));
        } catch (IOException | RuntimeException e) {
            return new Outcome(1, unreachable(e));
        }
    }

    private String through() {
        return "through `" + server.command() + "` (pid " + server.pid() + ", " + api + ")";
    }

    private static String encoded(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        String token = Files.readString(tokenFile(), StandardCharsets.UTF_8).strip();
        return HttpClient.newBuilder()
                .connectTimeout(TIMEOUT)
                .build()
                .send(
                        request.timeout(TIMEOUT)
                                .header("Authorization", "Bearer " + token)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create(api).resolve(path);
    }

    private static Map<?, ?> json(HttpResponse<String> response) {
        Object body = response.body().isBlank() ? Map.of() : Json.read(response.body());
        return body instanceof Map<?, ?> m ? m : Map.of();
    }

    private Path tokenFile() {
        return home.resolve("api-token");
    }

    private String held() {
        return "the database in " + home + " is held by `" + server.command() + "` (pid " + server.pid() + ")";
    }

    private String unreachable(Exception e) {
        return held() + "; cannot reach its API at " + api + " with the token in " + tokenFile() + ": " + e;
    }
}
