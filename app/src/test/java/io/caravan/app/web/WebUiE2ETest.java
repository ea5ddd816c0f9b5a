package io.caravan.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.caravan.app.HostileWorkflowTest;
import io.caravan.app.fixtures.CaravanRuns;
import io.caravan.core.cleanup.CleanupDebts;
import io.caravan.core.jobs.JobPlace;
import io.caravan.core.storage.CleanupDebt;
import io.caravan.spi.CleanupResult;
import io.caravan.testkit.OpenSshExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web UI in a real browser: Debian's headless Chromium, driven by playwright-core (src/e2e/ui.mjs),
 * against an in-process server running a 200-item fan-out on a real sshd. A person pastes the token the page
 * asks for first, opens the runs list, watches the run's grid fill, follows a running job's log, retries the
 * item that failed (pasting the token again when the server refuses the browser's), sees a cleanup debt and
 * retries it, looks at the workflows and the hosts, then starts a run from the form made from a workflow's typed params
 * (a value past a rule refused first, naming the param) and clears its task from the run page; the page's Content-Security-Policy blocks nothing, and
 * no API request leaves without the token. Screenshots land in target/e2e-screenshots.
 */
class WebUiE2ETest {
    @RegisterExtension
    static final OpenSshExtension SSHD = OpenSshExtension.defaults();

    private static final Path E2E = Path.of("src", "e2e");
    private static final Path CHROMIUM = Path.of(System.getProperty("caravan.e2e.chromium", "/usr/bin/chromium"));
    private static final int ITEMS = 200;
    private static final int FAILED = 7;
    private static final int SLOW = 5;

    @TempDir
    Path home;

    private WebFixture web;

    @AfterEach
    void stop() throws Exception {
        if (web != null) {
            web.close();
        }
        System.clearProperty("caravan.cleanup.debt-period");
    }

    @Test
    void aPersonFollowsAFanOutRetriesWhatFailedAndSettlesACleanupDebt() throws Exception {
        assertThat(Files.isExecutable(CHROMIUM))
                .as("Debian's Chromium at %s (apt-get install chromium; .ci/run installs it)", CHROMIUM)
                .isTrue();
        installPlaywright();
        Path base = Files.createDirectories(home.resolve("jobs"));
        Path workflows = Files.createDirectories(home.resolve("workflows"));
        // item 7 fails on its first attempt only; item 5 runs for 40 s, printing a line a second
        Files.writeString(workflows.resolve("grid.yaml"), """
                workflow: grid
                connections:
                %s
                tasks:
                  shard:
                    target: rig
                    expand: { range: %d }
                    max_active: 25
                    remote_job:
                      script: |
                        if [ "$ITEM" = %d ] && [ ! -e %s/mark ]; then touch %s/mark; echo "first try fails"; exit 3; fi
                        if [ "$ITEM" = %d ]; then i=1; while [ $i -le 40 ]; do echo "tick $i"; i=$((i+1)); sleep 1; done; fi
                        sleep 2; echo "done $ITEM"
                      workdir_base: %s
                      poll_interval: 300ms
                """.formatted(
                        CaravanRuns.connection("rig", SSHD.server()), ITEMS, FAILED, base, base, SLOW, base));
        // typed params: the trigger form is made from them (step 9), and the run page's Clear runs t again
        Path ledger = home.resolve("form-ledger");
        Files.writeString(workflows.resolve("typed.yaml"), """
                workflow: typed
                params:
                  shards: { type: integer, default: 8, min: 1, max: 1000, description: pieces to cut }
                  size: { type: string, default: small, enum: [small, large] }
                  dry: { type: boolean, default: false }
                tasks:
                  t: { shell: "echo {{ params.shards }} {{ params.size }} {{ params.dry }} >> %s" }
                """.formatted(ledger));
        // a hostile file beside it: the server starts anyway and shows it as invalid
        Files.writeString(workflows.resolve("broken.yaml"), HostileWorkflowTest.doubling());
        // the server's own debt retries would settle the debt below (its directory is removable) before the
        // person in the browser gets to it: they wait an hour here
        System.setProperty("caravan.cleanup.debt-period", "1h");
        web = WebFixture.start(home, workflows);

        WebFixture.Answer started = web.post("/api/workflows/grid/trigger", web.token(), null);
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String runId = (String) started.json().get("run_id");
        // the failed attempt's directory stays (cleanup: on_success); a cleanup that ran out of retries leaves such a
        // debt
        String failedJob = runId + ".shard." + FAILED + ".1";
        CleanupDebts debts = web.server().session().cleanupDebts();
        debts.record(
                new JobPlace(CaravanRuns.target(SSHD.server()), base.toString()),
                List.of(new CleanupResult(failedJob, false, "rm: cannot remove: Operation not permitted")));
        long debtId = debts.all().stream()
                .filter(d -> d.jobId().equals(failedJob))
                .findFirst()
                .orElseThrow()
                .id();

        Path screenshots = Files.createDirectories(Path.of("target", "e2e-screenshots"));
        Path output = Path.of("target", "e2e-ui.log");
        ProcessBuilder ui = new ProcessBuilder("node", "ui.mjs")
                .directory(E2E.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        Map<String, String> env = ui.environment();
        env.put("CARAVAN_URL", web.url());
        env.put("CARAVAN_TOKEN", web.token());
        env.put("CARAVAN_RUN_ID", runId);
        env.put("CARAVAN_TASK", "shard");
        env.put("CARAVAN_ITEM_COUNT", String.valueOf(ITEMS));
        env.put("CARAVAN_FAILED_INDEX", String.valueOf(FAILED));
        env.put("CARAVAN_SLOW_INDEX", String.valueOf(SLOW));
        env.put("CARAVAN_DEBT_ID", String.valueOf(debtId));
        env.put("SCREENSHOTS", screenshots.toAbsolutePath().toString());
        env.put("CHROMIUM", CHROMIUM.toString());
        Process browser = ui.start();
        boolean ended = browser.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            browser.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String said = Files.readString(output, StandardCharsets.UTF_8);
        System.out.println(said);
        assertThat(ended)
                .as("the browser script ended within 5 minutes:\n%s", said)
                .isTrue();
        assertThat(browser.exitValue()).as("the browser script:\n%s", said).isZero();

        // what the person did through the UI happened on the server and the host
        assertThat(web.get("/api/runs/" + runId).json().get("state")).isEqualTo("succeeded");
        assertThat(debts.all()).extracting(CleanupDebt::jobId).doesNotContain(failedJob);
        assertThat(Files.readAllLines(ledger))
                .as("the form's run, then its clear; the refused 5000 ran nothing")
                .containsExactly("12 large false", "12 large false");
        assertThat(base.resolve(failedJob)).as("the debt's directory").doesNotExist();
        for (String png : List.of(
                "token.png",
                "runs.png",
                "run-grid.png",
                "log.png",
                "retried.png",
                "cleanup.png",
                "workflows.png",
                "hosts.png",
                "trigger-form.png")) {
            assertThat(screenshots.resolve(png)).as("screenshot").isNotEmptyFile();
        }
    }

    /** playwright-core from the npm registry, as package-lock.json pins it; its own browser download is never used. */
    private static void installPlaywright() throws Exception {
        if (Files.isDirectory(E2E.resolve("node_modules").resolve("playwright-core"))) {
            return;
        }
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
                .directory(E2E.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(npm.waitFor(5, TimeUnit.MINUTES)).as("npm ci").isTrue();
        assertThat(npm.exitValue()).as("npm ci in %s:\n%s", E2E, out).isZero();
    }
}
