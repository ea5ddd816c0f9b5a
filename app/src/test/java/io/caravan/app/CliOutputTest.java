package io.caravan.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.caravan.app.MainTest.Captured;
import io.caravan.app.console.Elapsed;
import io.caravan.app.fixtures.TempCaravanHome;
import io.caravan.core.storage.DatabaseConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The CLI agrees with itself: one way to sum up a run, durations people read, logs of failed tasks, the version. */
class CliOutputTest {
    @RegisterExtension
    final TempCaravanHome caravanHome = new TempCaravanHome();

    @Test
    void theProgressLineAndTheSummaryCountTheSameTasksAndLogsOfAFailedTaskShowItsLogAndError() throws Exception {
        Path file = Files.writeString(caravanHome.home().resolve("mixed.yaml"), """
                workflow: mixed
                tasks:
                  a: { shell: "echo from-a; exit 3", retries: 1, retry_delay: 100ms }
                  b: { shell: "echo ok" }
                  c: { shell: "echo never", depends_on: [a] }
                  d: { camel: "log:caravan-test?level=OFF" }
                """);

        Captured run = MainTest.run("run", file.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
        String summary = run.out()
                .lines()
                .filter(l -> l.startsWith("run ") && l.contains(" failed in "))
                .findFirst()
                .orElseThrow();
        assertThat(summary)
                .containsPattern("failed in [0-9.]+m?s: 4 tasks \\(2 succeeded, 1 failed, 1 upstream_failed\\), "
                        + "3 items \\(2 succeeded, 1 failed\\)$");
        List<String> progress =
                run.err().lines().filter(l -> l.startsWith("run [")).toList();
        assertThat(progress.get(progress.size() - 1))
                .endsWith("4/4  tasks done (2 succeeded, 1 failed, 1 upstream_failed)");
        String runId = summary.split(" ")[1];

        Captured logs = MainTest.run("logs", runId, "a");
        assertThat(logs.exitCode()).isZero();
        assertThat(logs.out()).isEqualTo("from-a\n");
        assertThat(logs.err()).contains("a[0] attempt 2, failed: exit code 3");

        Captured camelLog = MainTest.run("logs", runId, "d");
        assertThat(camelLog.exitCode()).isZero();
        // the request body a log: endpoint hands back, as JSON on a line of its own (it was Java's {run=…} without a
        // newline)
        assertThat(camelLog.out()).isEqualTo("{\"run\":\"" + runId + "\",\"task\":\"d\",\"item\":null}\n");

        Captured never = MainTest.run("logs", runId, "c");
        assertThat(never.exitCode()).isEqualTo(2);
        assertThat(never.err()).contains("task c has no item 0 in run " + runId + " (it is upstream_failed)");
        assertThat(MainTest.run("logs", runId, "nope").err()).contains("no task nope in run " + runId);
        assertThat(MainTest.run("logs", "no-such-run", "a").err()).contains("no run no-such-run (see ./caravan runs)");

        Captured runs = MainTest.run("runs");
        Matcher row = Pattern.compile(runId + "\\s+mixed\\s+failed\\s+manual\\s+\\S+ \\S+\\s+(\\S+)")
                .matcher(runs.out());
        assertThat(row.find()).as(runs.out()).isTrue();
        assertThat(row.group(1)).matches("[0-9.]+m?s");
    }

    @Test
    void logsShowsAnAttemptStillRunningFromWhereItsEngineWritesIt() throws Exception {
        Path file = Files.writeString(caravanHome.home().resolve("slow.yaml"), """
                workflow: slow
                tasks:
                  a: { shell: "echo half-way" }
                """);
        Captured run = MainTest.run("run", file.toString());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        String runId = run.out()
                .lines()
                .filter(l -> l.startsWith("run ") && l.contains(" succeeded in "))
                .findFirst()
                .orElseThrow()
                .split(" ")[1];
        // the item as the database has it while its attempt runs: no end, no recorded log path yet
        try (Connection c = DriverManager.getConnection(
                        DatabaseConfig.embedded(caravanHome.home()).url(), "sa", "");
                PreparedStatement running = c.prepareStatement(
                        "UPDATE task_instances SET state = 'RUNNING', log_path = NULL, ended_at = NULL WHERE run_id = ?")) {
            running.setString(1, runId);
            assertThat(running.executeUpdate()).isEqualTo(1);
        }

        Captured logs = MainTest.run("logs", runId, "a");

        assertThat(logs.exitCode()).isZero();
        assertThat(logs.out()).isEqualTo("half-way\n");
        assertThat(logs.err()).doesNotContain("no log");
    }

    @Test
    void aMissingKeyFileFailsItsTaskAtOnceWithoutTheTasksRetries() throws Exception {
        Path file = Files.writeString(caravanHome.home().resolve("nokey.yaml"), """
                workflow: nokey
                connections:
                  h: { host: 127.0.0.1, port: 1, user: nobody, identity: %s }
                tasks:
                  probe: { ssh: "true", target: h, retries: 3, retry_delay: 5s }
                """.formatted(
                        caravanHome.home().resolve("no_such_key")));

        Captured run = MainTest.run("run", file.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
        String runId = run.out()
                .lines()
                .filter(l -> l.contains(" failed in "))
                .findFirst()
                .orElseThrow()
                .split(" ")[1];
        assertThat(MainTest.run("tasks", runId).out())
                .contains("probe[0] attempt 1: cannot load private key "
                        + caravanHome.home().resolve("no_such_key") + " for nobody@127.0.0.1:1");
    }

    @Test
    void theVersionIsTheBuildsVersion() {
        Captured v = MainTest.run("-V");

        assertThat(v.exitCode()).isZero();
        assertThat(v.out())
                .containsPattern("^caravan \\d+\\.\\d+\\.\\d+")
                .doesNotContain("development")
                .contains("Java 17");
    }

    @Test
    void durationsReadLikeAPersonWouldWriteThem() {
        assertThat(Elapsed.format(Duration.ofMillis(850))).isEqualTo("850ms");
        assertThat(Elapsed.format(Duration.ofMillis(4_240))).isEqualTo("4.2s");
        assertThat(Elapsed.format(Duration.ofSeconds(72))).isEqualTo("1m 12s");
        assertThat(Elapsed.format(Duration.ofMinutes(123))).isEqualTo("2h 03m");
        assertThat(Elapsed.format(Duration.ofHours(76))).isEqualTo("3d 4h");
    }
}
