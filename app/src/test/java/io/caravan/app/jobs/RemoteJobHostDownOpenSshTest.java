package io.caravan.app.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.caravan.app.fixtures.CaravanRuns;
import io.caravan.core.engine.Json;
import io.caravan.core.runs.TaskState;
import io.caravan.core.storage.TaskInstance;
import io.caravan.testkit.OpenSshExtension;
import io.caravan.testkit.OpenSshServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, acceptance 3: sshd down for longer than the reconnect budget (made small here through the
 * {@code caravan.ssh.reconnect.*} and {@code caravan.jobs.reconnect.*} properties). The tasks end naming the host and
 * every directory left is a cleanup debt; once sshd is back, {@code run --resume} takes the run up again and adopts
 * the jobs that ran on (or finished) meanwhile: each ran once, nothing is left.
 */
class RemoteJobHostDownOpenSshTest {
    private static final int JOBS = 40;
    private static final List<String> PROPERTIES = List.of(
            "caravan.home",
            "caravan.ssh.reconnect.attempts",
            "caravan.ssh.reconnect.first-delay",
            "caravan.ssh.reconnect.max-delay",
            "caravan.jobs.reconnect.attempts",
            "caravan.jobs.reconnect.first-delay",
            "caravan.jobs.reconnect.max-delay",
            "caravan.cleanup.retries",
            "caravan.cleanup.first-delay");

    @RegisterExtension
    static final OpenSshExtension SSHD = OpenSshExtension.defaults();

    @TempDir
    Path home;

    @BeforeEach
    void smallBudget() {
        System.setProperty("caravan.home", home.toString());
        System.setProperty("caravan.ssh.reconnect.attempts", "2");
        System.setProperty("caravan.ssh.reconnect.first-delay", "100ms");
        System.setProperty("caravan.ssh.reconnect.max-delay", "200ms");
        System.setProperty("caravan.jobs.reconnect.attempts", "3");
        System.setProperty("caravan.jobs.reconnect.first-delay", "100ms");
        System.setProperty("caravan.jobs.reconnect.max-delay", "300ms");
        System.setProperty("caravan.cleanup.retries", "1");
        System.setProperty("caravan.cleanup.first-delay", "100ms");
    }

    @AfterEach
    void clear() {
        PROPERTIES.forEach(System::clearProperty);
        SSHD.server().start(); // a failed test must not leave the shared host down
    }

    @Test
    void aHostDownPastItsBudgetFailsTheTasksAsDebtsAndResumeAdoptsEveryJobOnce() throws Exception {
        OpenSshServer server = SSHD.server();
        Path base = Files.createDirectories(server.workDir().resolve("jobs-down-" + System.nanoTime()));
        Path ledger = server.workDir().resolve("ledger-" + System.nanoTime());
        // even items finish while the host is down, odd ones are still running when it is back
        String yaml = """
                workflow: host-down
                connections:
                %s
                defaults: { target: rig }
                tasks:
                  shard:
                    expand: { range: %d }
                    max_active: %d
                    remote_job:
                      script: echo "$ITEM" >> %s; if [ $((ITEM %% 2)) = 0 ]; then sleep 4; else sleep 14; fi; echo "done $ITEM"
                      workdir_base: %s
                      poll_interval: 300ms
                """.formatted(CaravanRuns.connection("rig", server), JOBS, JOBS, ledger, base);

        CaravanRuns runs = new CaravanRuns(home);
        CompletableFuture<CaravanRuns.Result> first = CompletableFuture.supplyAsync(() -> {
            try {
                return runs.run("down", yaml);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (lines(ledger).size() < JOBS && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(lines(ledger)).as("jobs started before sshd went down").hasSize(JOBS);
        long down = System.nanoTime();
        server.stop();
        CaravanRuns.Result failed = first.get(60, TimeUnit.SECONDS);
        long givenUpMs = (System.nanoTime() - down) / 1_000_000;

        assertThat(failed.exit()).as(failed.out()).isEqualTo(1);
        List<TaskInstance> ended = runs.instances(failed.runId());
        assertThat(ended).hasSize(JOBS).allSatisfy(i -> {
            assertThat(i.state()).isEqualTo(TaskState.FAILED);
            assertThat(i.error()).contains("host " + server.host()).contains("unreachable");
        });
        List<Path> leftWhileDown = directories(base);
        CaravanRuns.Result debts = CaravanRuns.cli("cleanup", "ls");
        assertThat(leftWhileDown).as("directories left on the host").hasSize(JOBS);
        assertThat(debts.out()).contains(JOBS + " debt(s)");
        leftWhileDown.forEach(
                d -> assertThat(debts.out()).contains(d.getFileName().toString()));

        Thread.sleep(Math.max(0, 5_000 - givenUpMs)); // the even jobs end while nobody watches
        server.start();
        Path report = home.resolve("resumed.json");
        CaravanRuns.Result resumed = CaravanRuns.cli("run", "--resume", failed.runId(), "--report=" + report);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Number>> remoteJobs = (Map<String, Map<String, Number>>)
                ((Map<String, Object>) Json.read(Files.readString(report))).get("remote_jobs");
        long submittedOnResume = remoteJobs.values().stream()
                .mapToLong(j -> j.get("jobs_submitted").longValue())
                .sum();
        long endedOnResume = remoteJobs.values().stream()
                .mapToLong(j -> j.get("jobs_ended").longValue())
                .sum();

        Map<String, Long> runsPerItem =
                lines(ledger).stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        List<Path> left = directories(base);
        String debtsAfter = CaravanRuns.cli("cleanup", "ls").out().strip();
        CaravanRuns.Result again = CaravanRuns.cli("run", "--resume", failed.runId());
        System.out.printf(
                "acceptance 3: %d jobs; sshd down: tasks failed after %d ms (%s), %d directories left, %d debts;"
                        + " after resume: exit %d, jobs_submitted %d, jobs_ended %d, %d items in the ledger, starts per item %s,"
                        + " %d directories left, debts '%s';"
                        + " resuming again: exit %d '%s'%n",
                JOBS,
                givenUpMs,
                ended.get(0).error(),
                leftWhileDown.size(),
                JOBS,
                resumed.exit(),
                submittedOnResume,
                endedOnResume,
                runsPerItem.size(),
                new TreeSet<>(runsPerItem.values()),
                left.size(),
                debtsAfter,
                again.exit(),
                again.out().strip());

        assertThat(resumed.exit()).as(resumed.out()).isZero();
        assertThat(submittedOnResume)
                .as("jobs started by the resumed run: every one was adopted")
                .isZero();
        assertThat(endedOnResume).isEqualTo(JOBS);
        assertThat(runsPerItem).as("items started on the host").hasSize(JOBS);
        assertThat(runsPerItem.values()).as("starts per item").containsOnly(1L);
        runs.instances(failed.runId()).forEach(i -> {
            assertThat(i.state()).isEqualTo(TaskState.SUCCEEDED);
            assertThat(i.attempt()).as("the same attempt, adopted").isEqualTo(1);
            try {
                assertThat(CaravanRuns.log(i)).isEqualTo("done " + i.itemJson() + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertThat(left).as("job directories left on the host").isEmpty();
        assertThat(debtsAfter).isEqualTo("no cleanup debts");
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.out().strip().lines())
                .hasSize(1)
                .allSatisfy(l -> assertThat(l).contains("cannot be resumed"));
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
