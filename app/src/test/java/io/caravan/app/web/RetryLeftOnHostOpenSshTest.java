package io.caravan.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.caravan.app.fixtures.CaravanRuns;
import io.caravan.testkit.OpenSshExtension;
import io.caravan.testkit.OpenSshServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, acceptance 3 by the API: the items of a run whose host was given up on are retried from the API once
 * sshd is back; each keeps its attempt, so its job (still running, or ended meanwhile) is adopted, not run again.
 */
class RetryLeftOnHostOpenSshTest {
    private static final int JOBS = 6;
    private static final Map<String, String> SMALL_BUDGET = Map.of(
            "caravan.ssh.reconnect.attempts",
            "2",
            "caravan.ssh.reconnect.first-delay",
            "100ms",
            "caravan.ssh.reconnect.max-delay",
            "200ms",
            "caravan.jobs.reconnect.attempts",
            "3",
            "caravan.jobs.reconnect.first-delay",
            "100ms",
            "caravan.jobs.reconnect.max-delay",
            "300ms",
            "caravan.cleanup.retries",
            "1",
            "caravan.cleanup.first-delay",
            "100ms");

    @RegisterExtension
    static final OpenSshExtension SSHD = OpenSshExtension.defaults();

    @TempDir
    Path home;

    private WebFixture web;

    @AfterEach
    void stop() throws Exception {
        if (web != null) {
            web.close();
        }
        SMALL_BUDGET.keySet().forEach(System::clearProperty);
        SSHD.server().start();
    }

    @Test
    void retryingTheItemsOfAHostGivenUpOnAdoptsTheirJobs() throws Exception {
        SMALL_BUDGET.forEach(System::setProperty);
        OpenSshServer server = SSHD.server();
        Path workflows = Files.createDirectories(home.resolve("workflows"));
        Path base = Files.createDirectories(server.workDir().resolve("jobs-retry-" + System.nanoTime()));
        Path ledger = server.workDir().resolve("ledger-" + System.nanoTime());
        Files.writeString(workflows.resolve("left.yaml"), """
                workflow: left
                connections:
                %s
                defaults: { target: rig }
                tasks:
                  shard:
                    expand: { range: %d }
                    remote_job:
                      script: echo "$ITEM" >> %s; sleep 6; echo "done $ITEM"
                      workdir_base: %s
                      poll_interval: 300ms
                """.formatted(
                        CaravanRuns.connection("rig", server), JOBS, ledger, base));
        web = WebFixture.start(home, workflows);

        WebFixture.Answer triggered = web.post("/api/workflows/left/trigger", web.token(), null);
        assertThat(triggered.status()).as(triggered.body()).isEqualTo(202);
        String runId = (String) triggered.json().get("run_id");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (lines(ledger).size() < JOBS && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        server.stop();
        Map<String, Object> failed = awaitEnd(runId);
        assertThat(failed.get("state")).isEqualTo("failed");

        server.start();
        List<Object> attempts = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            WebFixture.Answer retried =
                    web.post("/api/runs/" + runId + "/tasks/shard/items/" + i + "/retry", web.token(), null);
            assertThat(retried.status()).as(retried.body()).isEqualTo(200);
            attempts.add(retried.json().get("attempt"));
        }
        Map<String, Object> ended = awaitEnd(runId);

        Map<String, Long> starts =
                lines(ledger).stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        // the server removes a directory once the outcome is recorded, at the host's next turn: soon after the run's
        // end
        List<Path> left = directories(base);
        for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                !left.isEmpty() && System.nanoTime() < until; ) {
            Thread.sleep(100);
            left = directories(base);
        }
        System.out.printf(
                "acceptance 3 (API retry): %d jobs; after sshd was back and each item was retried: run %s,"
                        + " attempts %s, starts per item %s, %d directories left%n",
                JOBS, ended.get("state"), attempts, new TreeSet<>(starts.values()), left.size());
        assertThat(ended.get("state")).isEqualTo("succeeded");
        assertThat(attempts).as("each item keeps its attempt: the same job").containsOnly(1);
        assertThat(starts).hasSize(JOBS);
        assertThat(starts.values()).as("starts per item").containsOnly(1L);
        assertThat(left).isEmpty();
    }

    private Map<String, Object> awaitEnd(String runId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Map<String, Object> run = web.get("/api/runs/" + runId).json();
            if (List.of("succeeded", "failed", "cancelled").contains(run.get("state"))) {
                return run;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("run " + runId + " never ended");
    }

    private static List<Path> directories(Path base) throws IOException {
        try (Stream<Path> dirs = Files.list(base)) {
            return dirs.filter(Files::isDirectory).toList();
        }
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file)
                ? Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList()
                : List.of();
    }
}
