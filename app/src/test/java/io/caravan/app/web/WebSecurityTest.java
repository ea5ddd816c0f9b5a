package io.caravan.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.caravan.core.engine.AttemptLogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP surface as an attacker meets it: a foreign Host, no token, unknown routes, hostile headers,
 * malformed and oversized bodies, a failure inside; and what every answer carries whatever it is.
 */
class WebSecurityTest {
    private static final Map<String, String> SECURITY_HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer");

    @TempDir
    Path home;

    private WebFixture web;

    @BeforeEach
    void start() throws Exception {
        Path workflows = Files.createDirectories(home.resolve("workflows"));
        Files.writeString(workflows.resolve("echo.yaml"), """
                workflow: echo
                params: { word: hi, times: 1 }
                tasks:
                  say:
                    shell: "echo {{ params.word }} {{ params.times }}"
                """);
        // a user's own platform-http route, served by the same server: it shows the headers it was given
        Files.writeString(Files.createDirectories(home.resolve("routes")).resolve("hook.yaml"), """
                - route:
                    from:
                      uri: platform-http:/hook
                      steps:
                        - setHeader:
                            name: CaravanJobEnv
                            constant: "SECRET=s3cr3t"
                        - setBody:
                            simple: "headers: ${headers}"
                """);
        web = WebFixture.start(home, workflows, List.of("caravan.example"));
    }

    @AfterEach
    void stop() throws Exception {
        web.close();
    }

    @Test
    void aRequestNamingAnotherHostIsRefusedWhateverItAsksFor() throws Exception {
        String token = "Authorization: Bearer " + web.token();
        String here = "Host: 127.0.0.1:" + web.port();
        for (String path : List.of("/api/runs", "/", "/ui/app.js", "/metrics", "/hook", "/nope")) {
            WebFixture.Answer evil = web.raw("GET", path, "Host: evil.example", token);
            assertThat(evil.status()).as(path).isEqualTo(421);
            assertThat(evil.json().get("error").toString()).as(path).contains("--allowed-host");
            assertThat(web.raw("GET", path, "Host: evil.example:" + web.port(), token)
                            .status())
                    .as(path)
                    .isEqualTo(421);
        }
        assertThat(web.raw("GET", "/api/runs", here, token).status()).isEqualTo(200);
        assertThat(web.raw("GET", "/api/runs", "Host: localhost:" + web.port(), token)
                        .status())
                .isEqualTo(200);
        assertThat(web.raw("GET", "/api/runs", "Host: [::1]:" + web.port(), token)
                        .status())
                .isEqualTo(200);
        assertThat(web.raw("GET", "/api/runs", "Host: 127.0.0.1:1", token).status())
                .as("another port")
                .isEqualTo(421);
        assertThat(web.raw("GET", "/api/runs", "Host: caravan.example", token).status())
                .as("--allowed-host")
                .isEqualTo(200);
        assertThat(web.raw("GET", "/api/runs", "Host: CARAVAN.example.:8443", token)
                        .status())
                .isEqualTo(200);
        assertThat(web.raw("GET", "/api/runs", token).status())
                .as("no Host at all")
                .isIn(400, 421);
        assertThat(web.raw("GET", "/api/runs", here, "Host: evil.example", token)
                        .status())
                .as("two Hosts")
                .isIn(400, 421);
        assertThat(web.raw("GET", "http://evil.example/api/runs", here, token).status())
                .as("the request line's host")
                .isEqualTo(421);
        assertThat(web.raw("GET", "/api/runs", "Host: evil.example").status())
                .as("refused before the token is asked for")
                .isEqualTo(421);
    }

    @Test
    void everyAnswerCarriesTheSecurityHeadersAndApiAnswersAreNeverStored() throws Exception {
        List<WebFixture.Answer> answers = new ArrayList<>();
        answers.add(web.get("/api/status"));
        answers.add(web.get("/metrics"));
        answers.add(web.get("/", null));
        answers.add(web.get("/ui/app.js", null));
        answers.add(web.get("/ui/app.css", null));
        answers.add(web.get("/ui/nope.js", null));
        answers.add(web.get("/nope", null));
        answers.add(web.get("/api/nope"));
        answers.add(web.get("/api/runs", null));
        answers.add(web.get("/hook", null));
        answers.add(web.raw("GET", "/", "Host: evil.example"));
        answers.add(web.raw("OPTIONS", "*", "Host: 127.0.0.1:" + web.port()));
        answers.add(web.post("/api/workflows/echo/trigger", web.token(), "{bad"));
        // the length is announced and no body byte sent: a client still writing a body the server refused can see
        // the connection reset before the 413 (aBodyOverOneMebibyteIsRefusedBeforeItIsRead covers the body sent)
        answers.add(web.raw(
                "POST",
                "/api/workflows/echo/trigger",
                "Host: 127.0.0.1:" + web.port(),
                "Authorization: Bearer " + web.token(),
                "Content-Type: application/json",
                "Content-Length: " + (2 * 1024 * 1024)));
        assertThat(answers)
                .extracting(WebFixture.Answer::status)
                .containsExactly(200, 200, 200, 200, 200, 404, 404, 404, 401, 200, 421, 404, 400, 413);
        for (WebFixture.Answer a : answers) {
            SECURITY_HEADERS.forEach((name, value) -> assertThat(a.header(name))
                    .as("%s on a %d", name, a.status())
                    .isEqualTo(value));
            assertThat(a.header("Server")).as("no server banner").isNull();
            assertThat(a.body()).as("no stack").doesNotContain("Exception").doesNotContain("\tat ");
        }
        answers.subList(5, answers.size())
                .forEach(a -> assertThat(a.body()).as("no Vert.x page").doesNotContainIgnoringCase("<html"));
        for (WebFixture.Answer a : List.of(answers.get(0), answers.get(1), answers.get(7), answers.get(8))) {
            assertThat(a.header("Cache-Control")).isEqualTo("no-store");
        }
        assertThat(answers.get(7).json()).isEqualTo(Map.of("error", "not found"));
        assertThat(answers.get(6).body()).isEqualTo("not found");
    }

    @Test
    void everyApiRouteNeedsTheTokenUnknownOnesTooAndGetApiListsThemAll() throws Exception {
        List<Map<String, Object>> routes = list(web.get("/api").json().get("routes"));
        assertThat(routes)
                .extracting(r -> r.get("method") + " " + r.get("path"))
                .contains(
                        "GET /api",
                        "GET /api/runs",
                        "POST /api/workflows/{id}/trigger",
                        "GET /api/runs/{run}/tasks/{task}/items/{index}/log",
                        "POST /api/cleanup/{id}/retry",
                        "GET /metrics",
                        "POST /api/workflows/{id}/backfill",
                        "POST /api/runs/{run}/tasks/{task}/clear")
                .hasSize(19);
        assertThat(routes)
                .allSatisfy(r -> assertThat((String) r.get("description")).isNotBlank());

        List<String[]> requests = new ArrayList<>();
        routes.forEach(r -> requests.add(
                new String[] {(String) r.get("method"), ((String) r.get("path")).replaceAll("\\{[^}]+}", "1")}));
        for (String path : List.of(
                "/api/nope",
                "/api/runs/1/nope/2",
                "/api/",
                "//api/runs",
                "/ui/../api/runs",
                "/%61pi/runs",
                "/api/runs;x",
                "/metrics/",
                "/api/status?x=1")) {
            requests.add(new String[] {"GET", path});
        }
        requests.add(new String[] {"POST", "/api/status"});
        requests.add(new String[] {"DELETE", "/api/runs/1"});
        String here = "Host: 127.0.0.1:" + web.port();
        for (String[] r : requests) {
            String what = r[0] + " " + r[1];
            WebFixture.Answer none = web.raw(r[0], r[1], here);
            assertThat(none.status()).as(what).isEqualTo(401);
            assertThat(none.header("WWW-Authenticate")).as(what).isEqualTo("Bearer");
            assertThat(none.json().get("error").toString())
                    .as(what)
                    .contains("Authorization: Bearer")
                    .doesNotContain(home.toString());
            assertThat(web.raw(r[0], r[1], here, "Authorization: Bearer " + "x".repeat(43))
                            .status())
                    .as(what)
                    .isEqualTo(401);
            assertThat(web.raw(r[0], r[1], here, "Authorization: Basic " + web.token())
                            .status())
                    .as(what)
                    .isEqualTo(401);
        }
        assertThat(web.get("/api/nope").json()).isEqualTo(Map.of("error", "not found"));
        assertThat(web.post("/api/status", web.token(), null).status())
                .as("a method no route has")
                .isEqualTo(404);
        assertThat(web.get("/api/runs").json().get("total"))
                .as("nothing was triggered")
                .isEqualTo(0);
    }

    @Test
    void aBodyThatIsNotJsonOrOfTheWrongShapeIsA400NamingTheProblem() throws Exception {
        Map<String, String> refused = Map.of(
                "{bad", "not valid JSON at line 1, column 2",
                "{\"params\": {\"word\": \"x\"}",
                        "not valid JSON at line 1, column 25: Unexpected end-of-input: expected close marker"
                                + " for Object (start marker at line 1, column 1)",
                "[1, 2]", "must be a JSON object like {\"params\": {\"name\": \"value\"}}, got an array",
                "\"text\"", "got a string",
                "{\"params\": [1]}", "'params' must be a JSON object",
                "{\"params\": {\"word\": {\"a\": 1}}}", "param 'word' must be a string, a number or true/false",
                "{\"params\": {\"word\": null}}",
                        "param 'word' must be a string, a number or true/false (as --set gives), got null",
                "{\"param\": {\"word\": \"x\"}}", "unknown key 'param'",
                "{\"params\": {\"wrod\": \"x\"}}", "unknown param 'wrod'",
                "{\"params\": {\"times\": \"many\"}}", "times");
        for (Map.Entry<String, String> body : refused.entrySet()) {
            WebFixture.Answer a = web.post("/api/workflows/echo/trigger", web.token(), body.getKey());
            assertThat(a.status()).as(body.getKey()).isEqualTo(400);
            assertThat(a.json().get("error").toString())
                    .as(body.getKey())
                    .contains(body.getValue())
                    .doesNotContain("Exception")
                    .doesNotContain("Source:");
        }
        WebFixture.Answer form = web.post(
                "/api/workflows/echo/trigger",
                web.token(),
                "{\"params\": {\"word\": \"x\"}}",
                "application/x-www-form-urlencoded");
        assertThat(form.status())
                .as("curl -d without a JSON type: refused, not run without its params")
                .isEqualTo(415);
        assertThat(form.json().get("error").toString()).contains("Content-Type: application/json");
        assertThat(web.get("/api/runs").json().get("total")).as("nothing ran").isEqualTo(0);

        WebFixture.Answer ok =
                web.post("/api/workflows/echo/trigger", web.token(), "{\"params\": {\"word\": \"yo\", \"times\": 3}}");
        assertThat(ok.status()).as(ok.body()).isEqualTo(202);
        String runId = (String) ok.json().get("run_id");
        awaitRunEnd(runId);
        assertThat(web.get("/api/runs/" + runId + "/tasks/say/items/0/log")
                        .json()
                        .get("text"))
                .isEqualTo("yo 3\n");
    }

    @Test
    void aBodyOverOneMebibyteIsRefusedBeforeItIsRead() throws Exception {
        // only the announced length is sent, no byte of the body: the answer comes anyway
        WebFixture.Answer announced = web.raw(
                "POST",
                "/api/workflows/echo/trigger",
                "Host: 127.0.0.1:" + web.port(),
                "Authorization: Bearer " + web.token(),
                "Content-Type: application/json",
                "Content-Length: " + (2 * 1024 * 1024));
        assertThat(announced.status()).isEqualTo(413);
        assertThat(announced.json().get("error").toString()).contains("over 1024 KiB");

        byte[] body = new byte[2 * 1024 * 1024];
        HttpRequest chunked = HttpRequest.newBuilder(URI.create(web.url() + "/api/workflows/echo/trigger"))
                .header("Authorization", "Bearer " + web.token())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(chunked, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("a chunked body without a length").isEqualTo(413);
        assertThat(web.get("/api/runs").json().get("total")).isEqualTo(0);
    }

    @Test
    void requestHeadersNeverPoseAsParametersNorReachCamelHeaders() throws Exception {
        String runId = (String) web.post("/api/workflows/echo/trigger", web.token(), null)
                .json()
                .get("run_id");
        awaitRunEnd(runId);
        String token = "Authorization: Bearer " + web.token();
        String here = "Host: 127.0.0.1:" + web.port();

        Map<String, Object> page = web.raw(
                        "GET", "/api/runs", here, token, "limit: 99999", "workflow: nope", "offset: 5")
                .json();
        assertThat(page).containsEntry("limit", 50).containsEntry("offset", 0).containsEntry("total", 1);
        assertThat(web.raw("GET", "/api/runs?limit=1", here, token, "limit: 99999")
                        .json())
                .containsEntry("limit", 1);
        assertThat(web.raw("GET", "/api/runs/" + runId, here, token, "run: other")
                        .json())
                .containsEntry("id", runId);
        assertThat(web.get("/api/runs/" + runId + "?run=other").json())
                .as("a query parameter is no path parameter either")
                .containsEntry("id", runId);
        assertThat(web.raw("GET", "/api/runs/" + runId + "/tasks/say/items", here, token, "state: failed")
                        .json())
                .containsEntry("total", 1);

        // a user's route gets the request's ordinary headers, never one named like Caravan's or Camel's
        WebFixture.Answer hook = web.raw(
                "GET",
                "/hook",
                here,
                "X-Github-Event: push",
                "CaravanJobId: x",
                "caravanjobenv: A=1",
                "CAMELHttpResponseCode: 299",
                "CamelHttpResponseCode: 298");
        assertThat(hook.status())
                .as("no request sets the answer's status: %s", hook.body())
                .isEqualTo(200);
        assertThat(hook.body())
                .contains("X-Github-Event=push")
                .doesNotContainIgnoringCase("CaravanJobId")
                .doesNotContainIgnoringCase("caravanjobenv=A")
                .doesNotContainIgnoringCase("HttpResponseCode");
        assertThat(hook.body())
                .as("the route's own header, set after the request came in")
                .contains("CaravanJobEnv=SECRET");
        assertThat(hook.header("CaravanJobEnv")).as("is no answer's header").isNull();
    }

    @Test
    void anUnexpectedFailureIsA500WithAnIdTheLogHasAndNothingElse() throws Exception {
        String runId = (String) web.post("/api/workflows/echo/trigger", web.token(), null)
                .json()
                .get("run_id");
        awaitRunEnd(runId);
        Path log = AttemptLogs.of(web.server().session().logs(), runId, "say", 0, 1);
        Files.delete(log);
        Files.createDirectory(log); // the log cannot be read now: an I/O failure inside the handler

        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        WebFixture.Answer failed;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            failed = web.get("/api/runs/" + runId + "/tasks/say/items/0/log");
        } finally {
            System.setErr(err);
        }
        assertThat(failed.status()).isEqualTo(500);
        String error = failed.json().get("error").toString();
        assertThat(error).matches("internal error [0-9a-f]{8}: the server's log has the details");
        String id = error.split(" ")[2].replace(":", "");
        String logged = captured.toString(StandardCharsets.UTF_8);
        assertThat(logged)
                .as("the log has the id and the cause")
                .contains("error " + id)
                .contains(log.toString());
        assertThat(failed.body())
                .doesNotContain(log.toString())
                .doesNotContain("Exception")
                .doesNotContain(home.toString());
    }

    private void awaitRunEnd(String runId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Object state = web.get("/api/runs/" + runId).json().get("state");
            if (List.of("succeeded", "failed", "cancelled").contains(state)) {
                assertThat(state).isEqualTo("succeeded");
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("run " + runId + " never ended");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }
}
