package io.caravan.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.caravan.app.fixtures.CaravanRuns;
import io.caravan.app.sandbox.Sandbox;
import io.caravan.app.server.CaravanServer;
import io.caravan.app.session.DatabaseOptions;
import io.caravan.app.session.EngineSession;
import io.caravan.core.engine.RunListener;
import io.caravan.core.storage.Run;
import io.caravan.core.workflow.WorkflowDefinition;
import io.caravan.testkit.OpenSshExtension;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The REST API against an in-process server: the token, runs and their grid, logs by offset, retry, cancel, hosts. */
class WebApiTest {
    @RegisterExtension
    static final OpenSshExtension SSHD = OpenSshExtension.defaults();

    @TempDir
    Path home;

    private Path workflows;
    private WebFixture web;

    @BeforeEach
    void start() throws Exception {
        workflows = Files.createDirectories(home.resolve("workflows"));
        Path base = Files.createDirectories(home.resolve("jobs"));
        Files.writeString(workflows.resolve("mix.yaml"), """
                workflow: mix
                tasks:
                  fan:
                    expand: { range: 30 }
                    shell: "if [ {{ item }} = 2 ] && [ ! -e %1$s/mark ]; then touch %1$s/mark; exit 3; fi; echo item {{ item }}"
                  after:
                    depends_on: [fan]
                    shell: "echo after"
                """.formatted(home));
        Files.writeString(workflows.resolve("wide.yaml"), """
                workflow: wide
                tasks:
                  text:
                    shell: "i=0; while [ $i -lt 3000 ]; do echo 'é€😀 line '$i' ααα ✓'; i=$((i+1)); done"
                """);
        Files.writeString(workflows.resolve("slow.yaml"), """
                workflow: slow
                tasks:
                  wait:
                    expand: { range: 3 }
                    shell: "sleep 30"
                """);
        Files.writeString(
                workflows.resolve("remote.yaml"), """
                workflow: remote
                connections:
                %s
                pools:
                  farm: { hosts: [{ connection: rig, gpus: 2, cpus: 4, mem: 1G }], slots: 2 }
                tasks:
                  job:
                    target: farm
                    expand: { range: 4 }
                    resources: { gpus: 1, cpus: 2 }
                    remote_job: { script: "echo on the farm on GPU $CUDA_VISIBLE_DEVICES", workdir_base: %s, poll_interval: 200ms }
                """.formatted(CaravanRuns.connection("rig", SSHD.server()), base));
        web = WebFixture.start(home, workflows);
    }

    @AfterEach
    void stop() throws Exception {
        web.close();
    }

    @Test
    void everyRequestNeedsTheTokenAndNoAnswerCarriesASecret() throws Exception {
        assertThat(web.get("/api/status").status()).isEqualTo(200);
        assertThat(web.get("/api/status", null).status()).as("reading too").isEqualTo(401);
        WebFixture.Answer none = web.post("/api/workflows/mix/trigger", null, null);
        WebFixture.Answer wrong = web.post("/api/workflows/mix/trigger", "x".repeat(43), null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(none.json().get("error").toString()).contains("Authorization: Bearer");
        assertThat(web.get("/api/runs").json().get("total")).as("nothing ran").isEqualTo(0);

        String runId = trigger("remote");
        awaitRunEnd(runId);

        List<String> bodies = new ArrayList<>(List.of(none.body(), wrong.body()));
        for (String path : List.of(
                "/api/status",
                "/api/workflows",
                "/api/runs",
                "/api/runs/" + runId,
                "/api/hosts",
                "/api/pools",
                "/api/cleanup",
                "/api/plugins",
                "/api/runs/" + runId + "/tasks/job/items/0")) {
            WebFixture.Answer a = web.get(path);
            assertThat(a.status()).as(path).isEqualTo(200);
            bodies.add(a.body());
        }
        String key = Files.readString(SSHD.server().clientKey());
        for (String body : bodies) {
            assertThat(body)
                    .doesNotContain(web.token())
                    .doesNotContain("PRIVATE KEY")
                    .doesNotContain(key.strip())
                    .doesNotContain(SSHD.server().clientKey().toString());
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("api-token"))))
                .as("the token file is its owner's only")
                .isEqualTo("rw-------");
    }

    @Test
    void aRunShowsEachItemAsOneLetterAndItsItemsPageByState() throws Exception {
        String runId = trigger("mix");
        Map<String, Object> run = awaitRunEnd(runId);

        assertThat(run.get("state")).isEqualTo("failed");
        List<Map<String, Object>> tasks = list(run.get("tasks"));
        assertThat(tasks).extracting(t -> t.get("id")).containsExactly("fan", "after");
        assertThat(tasks.get(0).get("items")).isEqualTo("SSF" + "S".repeat(27));
        assertThat(tasks.get(0).get("counts")).isEqualTo(Map.of("succeeded", 29, "failed", 1));
        assertThat(tasks.get(1)).containsEntry("state", "upstream_failed").containsEntry("items", "");

        Map<String, Object> failed =
                web.get("/api/runs/" + runId + "/tasks/fan/items?state=failed").json();
        assertThat(failed.get("total")).isEqualTo(1);
        assertThat(list(failed.get("items")).get(0)).containsEntry("index", 2).containsEntry("error", "exit code 3");
        Map<String, Object> page = web.get("/api/runs/" + runId + "/tasks/fan/items?limit=10&offset=25")
                .json();
        assertThat(list(page.get("items"))).extracting(i -> i.get("index")).containsExactly(25, 26, 27, 28, 29);
        assertThat(web.get("/api/runs/" + runId + "/tasks/fan/items?state=bogus")
                        .status())
                .isEqualTo(400);
        assertThat(web.get("/api/runs/no-such-run").status()).isEqualTo(404);

        Map<String, Object> runs = web.get("/api/runs?limit=1").json();
        assertThat(runs).containsEntry("total", 1).containsEntry("limit", 1);
        assertThat(list(runs.get("runs")).get(0)).containsEntry("id", runId).containsEntry("trigger", "api");
    }

    @Test
    void aLogReadByOffsetsComesBackWholeAndNeverCutInsideACharacter() throws Exception {
        String runId = trigger("wide");
        awaitRunEnd(runId);
        String path = "/api/runs/" + runId + "/tasks/text/items/0/log?offset=";

        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        long offset = 0;
        int reads = 0;
        while (true) {
            Map<String, Object> chunk = web.get(path + offset).json();
            String text = (String) chunk.get("text");
            assertThat(text).as("chunk at %d", offset).doesNotContain("\uFFFD");
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            assertThat(((Number) chunk.get("next_offset")).longValue()).isEqualTo(offset + bytes.length);
            whole.write(bytes);
            offset += bytes.length;
            reads++;
            if (Boolean.TRUE.equals(chunk.get("finished"))) {
                break;
            }
            assertThat(reads).as("reads").isLessThan(20);
        }
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            expected.append("é€😀 line ").append(i).append(" ααα ✓\n");
        }
        assertThat(reads).as("the log is over 64 KiB: several reads").isGreaterThan(1);
        assertThat(whole.toString(StandardCharsets.UTF_8)).isEqualTo(expected.toString());
    }

    @Test
    void retryingAFailedItemReopensItsTaskItsRunAndWhatWaitedForIt() throws Exception {
        String runId = trigger("mix");
        awaitRunEnd(runId);
        assertThat(web.post("/api/runs/" + runId + "/tasks/fan/items/3/retry", web.token(), null)
                        .status())
                .as("a succeeded item is not retried")
                .isEqualTo(409);

        WebFixture.Answer retried = web.post("/api/runs/" + runId + "/tasks/fan/items/2/retry", web.token(), null);
        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.json()).containsEntry("state", "ready").containsEntry("attempt", 2);

        Map<String, Object> run = awaitRunEnd(runId);
        assertThat(run.get("state")).isEqualTo("succeeded");
        assertThat(list(run.get("tasks"))).extracting(t -> t.get("state")).containsExactly("succeeded", "succeeded");
        Map<String, Object> item =
                web.get("/api/runs/" + runId + "/tasks/fan/items/2").json();
        assertThat(list(item.get("attempts"))).extracting(a -> a.get("state")).containsExactly("failed", "succeeded");
        assertThat(web.get("/api/runs/" + runId + "/tasks/fan/items/2/log")
                        .json()
                        .get("text"))
                .isEqualTo("item 2\n");
    }

    @Test
    void anItemOfASandboxRunIsNotRetriedAgainstTheHostsItsWorkflowNames() throws Exception {
        EngineSession session = web.server().session();
        String yaml = "workflow: boxed\ntasks:\n  fail: { shell: \"exit 3\" }\n";
        WorkflowDefinition w = session.loader().parse(home.resolve("boxed.yaml"), yaml, Map.of());
        Run run = session.engine().create(w, Sandbox.TRIGGER, yaml);
        session.engine().run(run, w, RunListener.NONE);

        WebFixture.Answer retried = web.post("/api/runs/" + run.id() + "/tasks/fail/items/0/retry", web.token(), null);
        assertThat(retried.status()).isEqualTo(409);
        assertThat(retried.body()).contains("ran on an embedded host (sandbox) that is gone");
        assertThat(web.get("/api/runs/" + run.id()).json().get("state")).isEqualTo("failed");
    }

    @Test
    void aCancelledRunStopsAtOnceAndStaysCancelled() throws Exception {
        String runId = trigger("slow");
        awaitState(runId, "running");
        long start = System.nanoTime();
        WebFixture.Answer cancelled = web.post("/api/runs/" + runId + "/cancel", web.token(), null);
        assertThat(cancelled.status()).isEqualTo(200);

        Map<String, Object> run = awaitRunEnd(runId);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start))
                .as("well before the 30 s sleeps end")
                .isLessThan(20);
        assertThat(run.get("state")).isEqualTo("cancelled");
        assertThat(list(run.get("tasks")).get(0)).containsEntry("items", "CCC");
        assertThat(web.post("/api/runs/" + runId + "/cancel", web.token(), null).status())
                .isEqualTo(409);
        Thread.sleep(1500);
        assertThat(web.get("/api/runs/" + runId).json().get("state"))
                .as("no late result reopens it")
                .isEqualTo("cancelled");
    }

    @Test
    void hostsAndPoolsShowSlotsOwnerAndThisServersConnectionFigures() throws Exception {
        String runId = trigger("remote");
        assertThat(awaitRunEnd(runId).get("state")).isEqualTo("succeeded");

        String host = SSHD.server().host() + ":" + SSHD.server().port();
        Map<String, Object> h = list(web.get("/api/hosts").json().get("hosts")).stream()
                .filter(x -> host.equals(x.get("host")))
                .findFirst()
                .orElseThrow();
        assertThat(h.get("pools")).isEqualTo(List.of("farm"));
        assertThat(h)
                .containsEntry("slots", 2)
                .containsEntry("busy", 0)
                .containsEntry(
                        "owner", web.server().session().node().orElseThrow().id());
        assertThat(h)
                .containsEntry("gpus", 2)
                .containsEntry("gpus_busy", List.of())
                .containsEntry("cpus", 4)
                .containsEntry("cpus_reserved", 0)
                .containsEntry("mem", 1 << 30)
                .containsEntry("mem_reserved", 0);
        assertThat(((Number) h.get("handshakes")).intValue()).isEqualTo(1);
        assertThat(((Number) h.get("channels_opened")).intValue()).isPositive();
        assertThat(((Number) h.get("open_connections")).intValue()).isEqualTo(1);

        String metrics = web.get("/metrics").body();
        assertThat(metrics)
                .contains("# TYPE caravan_ssh_handshakes_total counter")
                .contains("caravan_ssh_handshakes_total{host=\"" + host + "\"} 1")
                .containsPattern("caravan_jobs_ended_total\\{place=\"[^\"]+\",base=\"[^\"]+\"} 4");
        // acceptance 8 of issue 14: the remote-job routes' exchanges, by route id
        List<String> routeLines =
                metrics.lines().filter(l -> l.contains("routeId=\"remote-job-")).toList();
        System.out.println("acceptance 8: /metrics lines of the remote-job routes after the run:");
        routeLines.stream().filter(l -> l.contains("exchanges_total")).forEach(l -> System.out.println("  " + l));
        for (String route : List.of("remote-job-submit", "remote-job-poll", "remote-job-complete")) {
            assertThat(routeLines)
                    .as(route)
                    .anyMatch(l -> l.contains("exchanges_total")
                            && l.contains("routeId=\"" + route + "\"")
                            && !l.endsWith(" 0"));
        }
        assertThat(routeLines)
                .anyMatch(l -> l.contains("exchanges_total") && l.contains("routeId=\"remote-job-cleanup\""));

        Map<String, Object> pool =
                list(web.get("/api/pools").json().get("pools")).get(0);
        assertThat(pool.get("name")).isEqualTo("farm");
        assertThat(list(pool.get("hosts")).get(0))
                .containsEntry("host", host)
                .containsEntry("slots", 2)
                .containsEntry("free", 2)
                .containsEntry("capacity", "gpus 2, cpus 4, mem 1G");
    }

    @Test
    void theUiIsOnePageItsStylesheetAndItsModulesAndNothingElse() throws Exception {
        WebFixture.Answer page = web.get("/", null);
        assertThat(page.status()).as("the page needs no token: it asks for it").isEqualTo(200);
        assertThat(page.body())
                .contains("<script type=\"module\" src=\"/ui/app.js\">")
                .contains("/ui/app.css")
                .doesNotContain("<script>")
                .doesNotContain("style=");
        assertThat(web.get("/ui/app.css", null).status()).isEqualTo(200);
        // the modules as the browser finds them: app.js, then what each imports
        Set<String> loaded = new TreeSet<>();
        Deque<String> next = new ArrayDeque<>(List.of("app.js"));
        while (!next.isEmpty()) {
            String module = next.pop();
            if (!loaded.add(module)) {
                continue;
            }
            WebFixture.Answer js = web.get("/ui/" + module, null);
            assertThat(js.status()).as(module).isEqualTo(200);
            assertThat(js.header("Content-Type"))
                    .as("%s: a module runs only when served as JavaScript", module)
                    .isEqualTo("text/javascript; charset=utf-8");
            assertThat(js.body())
                    .as("%s builds the DOM from text, never from markup or code in strings (CSP)", module)
                    .doesNotContain("'style'")
                    .doesNotContain("innerHTML")
                    .doesNotContain("outerHTML")
                    .doesNotContain("insertAdjacentHTML")
                    .doesNotContain("document.write")
                    .doesNotContain("eval(")
                    .doesNotContain("new Function");
            Matcher imports = Pattern.compile("(?:from|import) '\\./([^']+)'").matcher(js.body());
            while (imports.find()) {
                next.add(imports.group(1));
            }
        }
        Path sources = Path.of("src", "main", "resources", "io", "caravan", "app", "web", "ui");
        try (Stream<Path> files = Files.list(sources)) {
            assertThat(loaded)
                    .as("every module in %s is loaded by the page, so the browser test loads it too", sources)
                    .isEqualTo(files.map(f -> f.getFileName().toString())
                            .filter(n -> n.endsWith(".js"))
                            .collect(Collectors.toCollection(TreeSet::new)));
        }
        for (String path :
                List.of("/ui/nope.js", "/ui/App.js", "/ui/app.js.map", "/ui/api-token", "/ui/..%2Fapi-token")) {
            assertThat(web.get(path).status()).as(path).isEqualTo(404);
        }
        assertThat(Base64.getUrlDecoder().decode(web.token()))
                .as("a 256-bit token")
                .hasSize(32);
    }

    @Test
    void aTakenPortIsAClearErrorNotAHang() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path other = Files.createDirectories(home.resolve("other"));
            WebServer.Settings web = new WebServer.Settings(WebServer.Settings.LOOPBACK, taken.getLocalPort());
            Assertions.assertThatThrownBy(() -> CaravanServer.start(new CaravanServer.Settings(
                            other,
                            new DatabaseOptions(),
                            other.resolve("workflows"),
                            other.resolve("routes"),
                            Duration.ofSeconds(60),
                            web)))
                    .isInstanceOf(WebServer.WebServerException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("--port");
        }
    }

    private String trigger(String workflow) throws Exception {
        WebFixture.Answer a = web.post("/api/workflows/" + workflow + "/trigger", web.token(), null);
        assertThat(a.status()).as(a.body()).isEqualTo(202);
        return (String) a.json().get("run_id");
    }

    private Map<String, Object> awaitRunEnd(String runId) throws Exception {
        return awaitState(runId, null);
    }

    /** Until the run is in {@code state}, or has ended when null. */
    private Map<String, Object> awaitState(String runId, String state) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Map<String, Object> run = web.get("/api/runs/" + runId).json();
            Object s = run.get("state");
            if (state != null
                    ? state.equals(s)
                    : List.of("succeeded", "failed", "cancelled").contains(s)) {
                return run;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("run " + runId + " never reached " + (state == null ? "its end" : state));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }
}
