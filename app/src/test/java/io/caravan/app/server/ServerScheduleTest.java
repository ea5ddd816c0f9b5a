package io.caravan.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import io.caravan.app.session.DatabaseOptions;
import io.caravan.core.storage.Run;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Engine acceptance 5, and caravan: from a user's YAML route, against the in-process server. */
class ServerScheduleTest {
    @TempDir
    Path home;

    /**
     * A cron that fires at three chosen seconds (8, 10 and 12 s from now). The server sees the first,
     * is stopped, misses the other two, and is started again: one catch-up run, or two with catchup.
     */
    @ParameterizedTest(name = "catchup: {0} -> {1} run(s) after the restart")
    @CsvSource({"false, 1", "true, 2"})
    void missedFiringsAreCaughtUpOnceOrAllAndTheFirstFiresOnTime(boolean catchup, int expectedAfterRestart)
            throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant first = now.plusSeconds(8);
        Instant third = now.plusSeconds(12);
        int s = (int) (now.getEpochSecond() % 60);
        Path workflows = Files.createDirectories(home.resolve("workflows"));
        Files.writeString(
                workflows.resolve("tick.yaml"), """
                workflow: tick
                schedule: "%d,%d,%d * * * * ?"
                catchup: %s
                tasks:
                  a: { shell: "echo tick" }
                """.formatted((s + 8) % 60, (s + 10) % 60, (s + 12) % 60, catchup));
        CaravanServer.Settings settings = new CaravanServer.Settings(
                home, new DatabaseOptions(), workflows, home.resolve("routes"), Duration.ofSeconds(1));

        try (CaravanServer server = CaravanServer.start(settings)) {
            Run run = awaitScheduledRuns(server, 1, first.plusSeconds(5)).get(0);
            assertThat(Duration.between(first, run.createdAt()).abs())
                    .as("fired at %s, due %s", run.createdAt(), first)
                    .isLessThan(Duration.ofMillis(1500));
        }
        sleepUntil(third.plusMillis(1500)); // the second and third firing pass while the server is down

        try (CaravanServer server = CaravanServer.start(settings)) {
            // Quartz finds the misfires on its own clock: wait for them (bounded), then a beat for any extra
            awaitScheduledRuns(server, 1 + expectedAfterRestart, Instant.now().plusSeconds(30));
            Thread.sleep(2_000);
            List<Run> runs = scheduledRuns(server);
            assertThat(runs).as("runs created by the schedule").hasSize(1 + expectedAfterRestart);
            assertThat(runs.stream().filter(r -> r.createdAt().isAfter(third))).hasSize(expectedAfterRestart);
        }
    }

    @Test
    void aUsersYamlRouteTriggersAWorkflowAndGetsItsOutputs() throws Exception {
        Path workflows = Files.createDirectories(home.resolve("workflows"));
        Path routes = Files.createDirectories(home.resolve("routes"));
        Files.writeString(workflows.resolve("greet.yaml"), """
                workflow: greet
                params: { name: world }
                tasks:
                  hello: { shell: "echo hello {{ params.name }}" }
                """);
        Files.writeString(routes.resolve("greet.camel.yaml"), """
                - route:
                    id: greet-on-demand
                    from:
                      uri: direct:greet
                      steps:
                        - to: caravan:trigger?workflow=greet
                """);
        try (CaravanServer server = CaravanServer.start(new CaravanServer.Settings(
                        home, new DatabaseOptions(), workflows, routes, Duration.ofSeconds(60)));
                ProducerTemplate template = server.session().camel().createProducerTemplate()) {
            assertThat(server.routes())
                    .as("the users' routes, not Caravan's own")
                    .isEqualTo(1);
            var exchange = template.request("direct:greet", e -> e.getIn().setBody(Map.of("name", "caravan")));

            assertThat(exchange.getException()).isNull();
            assertThat(exchange.getMessage().getBody(Map.class)).containsEntry("hello", "hello caravan");
            assertThat(exchange.getMessage().getHeader("CaravanRunState")).isEqualTo("succeeded");
            assertThat(server.session()
                            .store()
                            .run(exchange.getMessage().getHeader("CaravanRunId", String.class))
                            .orElseThrow()
                            .trigger())
                    .isEqualTo("camel");
        }
    }

    private static List<Run> awaitScheduledRuns(CaravanServer server, int count, Instant deadline) throws Exception {
        while (Instant.now().isBefore(deadline)) {
            List<Run> runs = scheduledRuns(server);
            if (runs.size() >= count) {
                return runs;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the schedule did not fire by " + deadline);
    }

    private static List<Run> scheduledRuns(CaravanServer server) {
        return server.session().store().runs(100).stream()
                .filter(r -> r.trigger().equals("schedule"))
                .toList();
    }

    private static void sleepUntil(Instant when) throws InterruptedException {
        long millis = Duration.between(Instant.now(), when).toMillis();
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }
}
