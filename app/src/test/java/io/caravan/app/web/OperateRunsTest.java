package io.caravan.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.caravan.app.fixtures.Await;
import io.caravan.app.fixtures.CaravanRuns;
import io.caravan.app.fixtures.EngineProcess;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operating workflows (issue 19): typed params checked on every trigger, clearing tasks of a finished run, and
 * backfilling a schedule's dates; through the API, and through the CLI beside a server and without one.
 */
class OperateRunsTest {
    @TempDir
    Path home;

    private Path workflows;
    private Path ledger;

    @BeforeEach
    void files() throws Exception {
        System.setProperty("caravan.home", home.toString());
        workflows = Files.createDirectories(home.resolve("workflows"));
        ledger = home.resolve("ledger");
        Files.writeString(workflows.resolve("typed.yaml"), """
                workflow: typed
                params:
                  shards: { type: integer, default: 8, min: 1, max: 1000, description: pieces to cut }
                  size: { type: string, default: small, enum: [small, large] }
                tasks:
                  t: { shell: "echo {{ params.shards }} {{ params.size }} >> %s" }
                """.formatted(ledger));
        // b fails until the file 'fixed' exists; c follows b; d follows a only
        Files.writeString(workflows.resolve("chain.yaml"), """
                workflow: chain
                tasks:
                  a: { shell: "echo a >> %1$s" }
                  b: { depends_on: [a], shell: "echo b >> %1$s; test -e %2$s" }
                  c: { depends_on: [b], shell: "echo c >> %1$s" }
                  d: { depends_on: [a], shell: "echo d >> %1$s" }
                """.formatted(ledger, home.resolve("fixed")));
        Files.writeString(workflows.resolve("daily.yaml"), """
                workflow: daily
                schedule: "0 0 2 * * ?"
                tasks:
                  day: { shell: "echo {{ run.date }} >> %1$s; touch %2$s/{{ run.date }}; ls %2$s | wc -l >> %3$s; sleep 1; rm %2$s/{{ run.date }}" }
                """.formatted(
                        ledger, Files.createDirectories(home.resolve("active")), home.resolve("concurrent")));
    }

    @AfterEach
    void clearHome() {
        System.clearProperty("caravan.home");
    }

    @Test
    void aTriggerWithABadValueIsA400NamingTheParamAndNothingStarts() throws Exception {
        Files.writeString(Files.createDirectories(home.resolve("routes")).resolve("typed.camel.yaml"), """
                - route:
                    from:
                      uri: direct:typed
                      steps:
                        - to: caravan:trigger?workflow=typed
                """);
        try (WebFixture web = WebFixture.start(home, workflows);
                ProducerTemplate template = web.server().session().camel().createProducerTemplate()) {
            // a route's trigger goes through the same check
            Exchange routed = template.request("direct:typed", e -> e.getIn().setBody(Map.of("shards", "abc")));
            assertThat(routed.getException()).isNotNull();
            assertThat(routed.getException().getMessage())
                    .contains("param 'shards': 'abc' is not a whole number (type: integer)");

            WebFixture.Answer bad =
                    web.post("/api/workflows/typed/trigger", web.token(), "{\"params\": {\"shards\": \"abc\"}}");
            assertThat(bad.status()).isEqualTo(400);
            assertThat((String) bad.json().get("error"))
                    .contains("shards")
                    .contains("'abc' is not a whole number (type: integer)");
            WebFixture.Answer big =
                    web.post("/api/workflows/typed/trigger", web.token(), "{\"params\": {\"shards\": 5000}}");
            assertThat(big.status()).isEqualTo(400);
            assertThat((String) big.json().get("error"))
                    .contains("param 'shards': '5000' is more than the maximum 1000 (max)");
            WebFixture.Answer size =
                    web.post("/api/workflows/typed/trigger", web.token(), "{\"params\": {\"size\": \"huge\"}}");
            assertThat((String) size.json().get("error"))
                    .contains("param 'size': 'huge' is not one of small, large (enum)");
            assertThat(list(web.get("/api/runs").json().get("runs"))).isEmpty();

            Map<String, Object> typed = list(web.get("/api/workflows").json().get("workflows")).stream()
                    .filter(w -> w.get("id").equals("typed"))
                    .findFirst()
                    .orElseThrow();
            assertThat(typed.get("params"))
                    .isEqualTo(Map.of(
                            "shards",
                                    Map.of(
                                            "type",
                                            "integer",
                                            "default",
                                            8,
                                            "min",
                                            1,
                                            "max",
                                            1000,
                                            "description",
                                            "pieces to cut"),
                            "size", Map.of("type", "string", "default", "small", "enum", List.of("small", "large"))));

            WebFixture.Answer good =
                    web.post("/api/workflows/typed/trigger", web.token(), "{\"params\": {\"shards\": 12}}");
            assertThat(good.status()).as(good.body()).isEqualTo(202);
            assertThat(awaitEnd(web, (String) good.json().get("run_id")).get("state"))
                    .isEqualTo("succeeded");
            assertThat(Files.readAllLines(ledger)).containsExactly("12 small");
        }
    }

    @Test
    void aRunWithABadSetExitsWith2NamingTheParam() {
        CaravanRuns.Result run =
                CaravanRuns.cli("run", workflows.resolve("typed.yaml").toString(), "--set", "shards=abc");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out())
                .contains(
                        "typed.yaml:3:11: --set shards=abc: param 'shards': 'abc' is not a whole number (type: integer)");
        assertThat(ledger).doesNotExist();
    }

    @Test
    void clearThroughTheApiRerunsAFailedTaskAndItsDownstreamOnly() throws Exception {
        try (WebFixture web = WebFixture.start(home, workflows)) {
            String runId = (String) web.post("/api/workflows/chain/trigger", web.token(), null)
                    .json()
                    .get("run_id");
            assertThat(awaitEnd(web, runId).get("state")).isEqualTo("failed");
            assertThat(Files.readAllLines(ledger)).containsExactlyInAnyOrder("a", "b", "d");
            WebFixture.Answer early = web.post("/api/runs/" + runId + "/tasks/nope/clear", web.token(), null);
            assertThat(early.status()).isEqualTo(404);

            Files.createFile(home.resolve("fixed"));
            WebFixture.Answer clear =
                    web.post("/api/runs/" + runId + "/tasks/b/clear?downstream=true", web.token(), null);
            assertThat(clear.status()).as(clear.body()).isEqualTo(200);
            assertThat(clear.json().get("cleared")).isEqualTo(List.of("b", "c"));

            assertThat(awaitEnd(web, runId).get("state")).isEqualTo("succeeded");
            // a and d succeeded and are not run again; b runs a second attempt, c its first
            assertThat(Files.readAllLines(ledger)).containsExactlyInAnyOrder("a", "b", "d", "b", "c");
            assertThat(list(web.get("/api/runs/" + runId + "/tasks/b/items/0")
                            .json()
                            .get("attempts")))
                    .extracting(a -> a.get("attempt"), a -> a.get("state"))
                    .contains(Tuple.tuple(1, "failed"), Tuple.tuple(2, "succeeded"));
            WebFixture.Answer again =
                    web.post("/api/runs/" + runId + "/tasks/b/clear?failed_only=true", web.token(), null);
            assertThat(again.status()).isEqualTo(409);
            assertThat((String) again.json().get("error")).contains("nothing to clear");
        }
    }

    @Test
    void clearWithoutAServerRerunsInTheForeground() throws Exception {
        CaravanRuns.Result first =
                CaravanRuns.cli("run", workflows.resolve("chain.yaml").toString());
        assertThat(first.exit()).isEqualTo(1);
        String runId = first.out()
                .lines()
                .filter(l -> l.startsWith("run "))
                .findFirst()
                .orElseThrow()
                .split(" ")[1];
        Files.createFile(home.resolve("fixed"));

        CaravanRuns.Result cleared = CaravanRuns.cli("clear", runId, "b", "--downstream", "--failed-only");
        assertThat(cleared.exit()).as(cleared.out()).isZero();
        assertThat(cleared.out()).contains("cleared [b, c] of run " + runId).contains(", resumed");
        assertThat(Files.readAllLines(ledger)).containsExactlyInAnyOrder("a", "b", "d", "b", "c");

        CaravanRuns.Result unfinished = CaravanRuns.cli("clear", "no-such-run", "b");
        assertThat(unfinished.exit()).isEqualTo(2);
        assertThat(unfinished.out()).contains("no run no-such-run");
    }

    @Test
    void backfillMakesOneRunPerDailyFiringAndASecondCallNone() throws Exception {
        CaravanRuns.Result dry =
                CaravanRuns.cli("backfill", "daily", "--from", "2026-01-01", "--to", "2026-01-03", "--dry-run");
        assertThat(dry.exit()).as(dry.out()).isZero();
        assertThat(dry.out())
                .contains("2026-01-01  2026-01-01T02:00:00Z  new run")
                .contains("3 firing(s) from 2026-01-01 to 2026-01-03; 3 to run");
        assertThat(ledger).doesNotExist();

        CaravanRuns.Result first =
                CaravanRuns.cli("backfill", "daily", "--from", "2026-01-01", "--to", "2026-01-03", "--parallel", "2");
        assertThat(first.exit()).as(first.out()).isZero();
        assertThat(Files.readAllLines(ledger)).containsExactlyInAnyOrder("2026-01-01", "2026-01-02", "2026-01-03");
        assertThat(Files.readAllLines(home.resolve("concurrent")))
                .as("runs active at once, seen by each as it started")
                .extracting(l -> Integer.parseInt(l.strip()))
                .allMatch(n -> n >= 1 && n <= 2);

        CaravanRuns.Result second = CaravanRuns.cli("backfill", "daily", "--from", "2026-01-01", "--to", "2026-01-03");
        assertThat(second.exit()).as(second.out()).isZero();
        assertThat(second.out())
                .contains("3 firing(s) from 2026-01-01 to 2026-01-03; 0 to run")
                .contains("succeeded (--rerun runs it again)");
        assertThat(Files.readAllLines(ledger)).hasSize(3);

        CaravanRuns.Result rerun =
                CaravanRuns.cli("backfill", "daily", "--from", "2026-01-02", "--to", "2026-01-02", "--rerun");
        assertThat(rerun.exit()).as(rerun.out()).isZero();
        assertThat(Files.readAllLines(ledger))
                .containsExactlyInAnyOrder("2026-01-01", "2026-01-02", "2026-01-03", "2026-01-02");
        CaravanRuns.Result runs = CaravanRuns.cli("runs");
        assertThat(runs.out().lines().filter(l -> l.contains("backfill"))).hasSize(3);
    }

    @Test
    void besideAServerHoldingTheDatabaseTheCliGoesThroughItsApi() throws Exception {
        int port = Await.freePort();
        Path log = home.resolve("server.out");
        try (EngineProcess server = EngineProcess.startLogged(
                home,
                log,
                List.of(),
                Map.of(),
                "server",
                "--workflows",
                workflows.toString(),
                "--port",
                String.valueOf(port))) {
            await(
                    () -> Files.exists(log) && Files.readString(log).contains("stop with Ctrl-C"),
                    "the server to start: " + log);

            CaravanRuns.Result bad = CaravanRuns.cli("trigger", "typed", "--set", "shards=abc");
            assertThat(bad.exit()).as(bad.out()).isEqualTo(2);
            assertThat(bad.out())
                    .contains("refused the trigger (400)")
                    .contains("param 'shards': 'abc' is not a whole number");

            CaravanRuns.Result chain = CaravanRuns.cli("trigger", "chain");
            assertThat(chain.exit()).as(chain.out()).isZero();
            String runId = chain.out().split(" ")[2];
            await(() -> Files.exists(ledger) && Files.readAllLines(ledger).size() == 3, "a, b and d to run");
            Files.createFile(home.resolve("fixed"));
            // the run ends a moment after its last task: until then the server answers 409 (not ended yet)
            CaravanRuns.Result[] cleared = new CaravanRuns.Result[1];
            await(
                    () -> (cleared[0] = CaravanRuns.cli("clear", runId, "b", "--downstream")).exit() == 0,
                    "the clear to be taken");
            assertThat(cleared[0].out())
                    .contains("cleared [b, c] of run " + runId)
                    .contains("through `caravan server` (pid " + server.pid());
            await(() -> Files.readAllLines(ledger).size() == 5, "b and c to run again");
            assertThat(Files.readAllLines(ledger)).containsExactlyInAnyOrder("a", "b", "d", "b", "c");

            CaravanRuns.Result backfill =
                    CaravanRuns.cli("backfill", "daily", "--from", "2026-03-01", "--to", "2026-03-02");
            assertThat(backfill.exit()).as(backfill.out()).isZero();
            assertThat(backfill.out())
                    .contains("2026-03-01  2026-03-01T02:00:00Z  new run")
                    .contains("the server runs them");
            await(() -> Files.readAllLines(ledger).size() == 7, "the two backfilled runs");
            assertThat(Files.readAllLines(ledger)).contains("2026-03-01", "2026-03-02");
            CaravanRuns.Result noSchedule =
                    CaravanRuns.cli("backfill", "typed", "--from", "2026-03-01", "--to", "2026-03-02");
            assertThat(noSchedule.exit()).isEqualTo(2);
            assertThat(noSchedule.out()).contains("has no schedule");
            assertThat(server.terminate()).isTrue();
        }
    }

    private static void await(Await.Condition condition, String what) throws Exception {
        Await.until(condition, Duration.ofSeconds(60), what);
    }

    private static Map<String, Object> awaitEnd(WebFixture web, String runId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Map<String, Object> run = web.get("/api/runs/" + runId).json();
            if (List.of("succeeded", "failed", "cancelled").contains(run.get("state"))) {
                return run;
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
