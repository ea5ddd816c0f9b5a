package io.caravan.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

import io.caravan.app.fixtures.CaravanRuns;
import io.caravan.app.fixtures.TempCaravanHome;
import io.caravan.app.session.DatabaseOptions;
import io.caravan.core.runs.RunState;
import io.caravan.core.storage.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 19, acceptance 4: max_active_runs and overlap against the in-process server, a cron firing every second. */
class ServerOverlapTest {
    @RegisterExtension
    final TempCaravanHome caravanHome = new TempCaravanHome();

    @Test
    void firingsWhileARunIsActiveAreSkippedAndShownAsSkipped() throws Exception {
        List<Run> runs = serve(
                "skip",
                Duration.ofSeconds(8),
                now -> now.stream().anyMatch(r -> r.endedAt() != null && r.reason() == null)
                        && now.stream().filter(r -> r.reason() != null).count() >= 2);

        // a firing in the last moment may still be queued when the server stops: it has not run (yet)
        List<Run> ran = runs.stream()
                .filter(r -> r.reason() == null && r.startedAt() != null)
                .toList();
        List<Run> skipped = runs.stream().filter(r -> r.reason() != null).toList();
        System.out.printf(
                "overlap: skip, at least 8 s of firings every second, runs of 3 s: %d ran, %d skipped%n",
                ran.size(), skipped.size());
        assertThat(ran).as("runs that ran").isNotEmpty();
        assertThat(runs.stream().filter(r -> r.reason() == null && r.startedAt() == null))
                .as("neither skipped nor started: at most the last firing, queued as the server stopped")
                .hasSizeLessThanOrEqualTo(1);
        assertNoTwoActiveAtOnce(ran);
        assertThat(skipped)
                .as("firings skipped while a run was active")
                .hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(r -> {
                    assertThat(r.state()).isEqualTo(RunState.CANCELLED);
                    assertThat(r.reason())
                            .startsWith("skipped: 1 run(s) of the workflow active (max_active_runs 1, overlap: skip)");
                    assertThat(r.startedAt()).as("never started").isNull();
                });
        CaravanRuns.Result list = CaravanRuns.cli("runs", "--limit", "100");
        assertThat(list.out().lines().filter(l -> l.contains("cancelled") && l.contains("skipped: ")))
                .hasSize(skipped.size());
    }

    @Test
    void queuedFiringsWaitTheirTurnAndStartInOrder() throws Exception {
        List<Run> runs = serve(
                "queue",
                Duration.ofSeconds(6),
                now -> now.stream().filter(r -> r.startedAt() != null).count() >= 2);

        List<Run> started = runs.stream().filter(r -> r.startedAt() != null).toList();
        assertThat(runs)
                .as("no firing skipped")
                .allSatisfy(r -> assertThat(r.reason()).isNull());
        assertThat(started).as("runs that started").hasSizeGreaterThanOrEqualTo(2);
        assertNoTwoActiveAtOnce(started);
        assertThat(started.stream()
                        .sorted(Comparator.comparing(Run::startedAt))
                        .map(Run::scheduledFor)
                        .toList())
                .as("started in the order of their firings")
                .isSortedAccordingTo(Comparator.naturalOrder());
        assertThat(runs.stream().filter(r -> r.state() == RunState.QUEUED))
                .as("firings still waiting their turn")
                .isNotEmpty();
    }

    /**
     * The workflow's runs after serving it for at least {@code serving} and until {@code enough} holds (at most a
     * minute: on a loaded machine a run of 3 s may start seconds after its firing); every 50 ms at most one was
     * seen running.
     */
    private List<Run> serve(String overlap, Duration serving, Predicate<List<Run>> enough) throws Exception {
        Path workflows = Files.createDirectories(caravanHome.home().resolve("workflows"));
        Files.writeString(workflows.resolve("busy.yaml"), """
                workflow: busy
                schedule: "* * * * * ?"
                max_active_runs: 1
                overlap: %s
                tasks:
                  work: { shell: "sleep 3" }
                """.formatted(overlap));
        CaravanServer.Settings settings = new CaravanServer.Settings(
                caravanHome.home(),
                new DatabaseOptions(),
                workflows,
                caravanHome.home().resolve("routes"),
                Duration.ofSeconds(1));
        try (CaravanServer server = CaravanServer.start(settings)) {
            Instant start = Instant.now();
            Instant atLeast = start.plus(serving);
            Instant atMost = start.plus(Duration.ofMinutes(1));
            for (List<Run> now = scheduled(server);
                    Instant.now().isBefore(atMost) && (Instant.now().isBefore(atLeast) || !enough.test(now));
                    now = scheduled(server)) {
                assertThat(now.stream().filter(r -> r.state() == RunState.RUNNING))
                        .as("runs running at once")
                        .hasSizeLessThanOrEqualTo(1);
                Thread.sleep(50);
            }
            List<Run> runs = scheduled(server);
            assertThat(enough.test(runs))
                    .as("the runs asserted on happened within a minute: %s", runs)
                    .isTrue();
            return runs;
        }
    }

    private static List<Run> scheduled(CaravanServer server) {
        return server.session().store().runs(100).stream()
                .filter(r -> r.trigger().equals("schedule"))
                .toList();
    }

    /** No run started before the one started ahead of it had ended (runs still running end at +infinity). */
    private static void assertNoTwoActiveAtOnce(List<Run> runs) {
        List<Run> byStart =
                runs.stream().sorted(Comparator.comparing(Run::startedAt)).toList();
        for (int i = 1; i < byStart.size(); i++) {
            Run before = byStart.get(i - 1);
            assertThat(before.endedAt())
                    .as(
                            "run %s ended before %s started",
                            before.id(), byStart.get(i).id())
                    .isNotNull();
            assertThat(byStart.get(i).startedAt())
                    .as("run %s started", byStart.get(i).id())
                    .isAfterOrEqualTo(before.endedAt());
        }
    }
}
