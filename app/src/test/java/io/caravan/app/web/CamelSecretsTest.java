package io.caravan.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.caravan.app.fixtures.CaravanRuns;
import io.caravan.app.fixtures.TempCaravanHome;
import io.caravan.core.storage.TaskInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A failing {@code camel:} task whose URI holds a password (from {@code --set} or the API, passed RAW because of
 * its '&amp;') and a token (written in the file): its error in the database, the CLI's output and report, and the
 * API's answers shows {@code password=xxxxxx}, never the secrets.
 */
class CamelSecretsTest {
    private static final String PASSWORD = "s3cret&more";
    private static final String TOKEN = "t0ken-in-the-file";
    private static final String WORKFLOW = """
            workflow: secret
            params: { pw: x }
            tasks:
              call:
                camel: "log:vault?password={{ params.pw }}&accessToken=%s&bogus=1"
            """.formatted(TOKEN);

    @RegisterExtension
    final TempCaravanHome caravanHome = new TempCaravanHome();

    @Test
    void theCliTheDatabaseAndTheReportShowTheErrorWithTheSecretsMasked() throws Exception {
        CaravanRuns runs = new CaravanRuns(caravanHome.home());
        CaravanRuns.Result r = runs.run("secret", WORKFLOW, "--set", "pw=" + PASSWORD);
        TaskInstance call = runs.instance(r.runId(), "call", 0);
        CaravanRuns.Result tasks = CaravanRuns.cli("tasks", r.runId());

        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        assertThat(call.error()).startsWith("log:vault?password=xxxxxx&accessToken=xxxxxx&bogus=1: ");
        assertThat(tasks.out()).contains("password=xxxxxx");
        for (String text : List.of(
                call.error(),
                r.out(),
                tasks.out(),
                Files.readString(caravanHome.home().resolve("secret.report.json")))) {
            assertThat(text).doesNotContain("s3cret").doesNotContain(TOKEN);
        }
    }

    @Test
    void theApiShowsTheErrorWithTheSecretsMasked() throws Exception {
        Path workflows = Files.createDirectories(caravanHome.home().resolve("workflows"));
        Files.writeString(workflows.resolve("secret.yaml"), WORKFLOW);
        try (WebFixture web = WebFixture.start(caravanHome.home(), workflows)) {
            String runId = (String) web.post(
                            "/api/workflows/secret/trigger",
                            web.token(),
                            "{\"params\": {\"pw\": \"" + PASSWORD + "\"}}")
                    .json()
                    .get("run_id");
            WebFixture.Answer run = web.get("/api/runs/" + runId);
            for (long deadline = System.nanoTime() + 60_000_000_000L;
                    "running".equals(run.json().get("state"))
                            || "queued".equals(run.json().get("state"));
                    run = web.get("/api/runs/" + runId)) {
                assertThat(System.nanoTime()).as("the run ends within a minute").isLessThan(deadline);
                Thread.sleep(200);
            }
            WebFixture.Answer items = web.get("/api/runs/" + runId + "/tasks/call/items");

            @SuppressWarnings("unchecked")
            Map<String, Object> item = ((List<Map<String, Object>>) items.json().get("items")).get(0);
            assertThat(item.get("error").toString()).contains("password=xxxxxx").contains("accessToken=xxxxxx");
            for (WebFixture.Answer a :
                    List.of(run, items, web.get("/api/runs"), web.get("/api/runs/" + runId + "/tasks/call/items/0"))) {
                assertThat(a.body()).doesNotContain("s3cret").doesNotContain(TOKEN);
            }
        }
    }
}
