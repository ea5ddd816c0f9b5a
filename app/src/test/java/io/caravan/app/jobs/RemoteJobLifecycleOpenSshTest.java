package io.caravan.app.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.caravan.app.fixtures.CaravanRuns;
import io.caravan.core.runs.TaskState;
import io.caravan.core.storage.TaskInstance;
import io.caravan.spi.posix.OwnerMarker;
import io.caravan.testkit.OpenSshExtension;
import io.caravan.testkit.OpenSshServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Remote-job acceptance 2, 4 and 5 on a real sshd: restarts, blocked cleanups, timeouts, large logs. */
class RemoteJobLifecycleOpenSshTest {
    @RegisterExtension
    static final OpenSshExtension SSHD = OpenSshExtension.defaults();

    @TempDir
    Path home;

    private Path base;
    private CaravanRuns runs;

    @BeforeEach
    void home() throws Exception {
        System.setProperty("caravan.home", home.toString());
        System.setProperty("caravan.cleanup.retries", "1");
        System.setProperty("caravan.cleanup.first-delay", "100ms");
        base = Files.createDirectories(SSHD.server().workDir().resolve("jobs-" + System.nanoTime()));
        runs = new CaravanRuns(home);
    }

    @AfterEach
    void clear() {
        System.clearProperty("caravan.home");
        System.clearProperty("caravan.cleanup.retries");
        System.clearProperty("caravan.cleanup.first-delay");
    }

    private String workflow(String id, String options) {
        return CaravanRuns.remoteJob(id, SSHD.server(), base, options);
    }

    @Test
    void aJobRunsAcrossAnSshdRestartAndItsWholeLogArrives() throws Exception {
        OpenSshServer server = SSHD.server();
        Path started = base.resolve("started");
        Thread restarter = new Thread(() -> {
            try {
                while (!Files.exists(started)) {
                    Thread.sleep(50);
                }
                server.restart();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        restarter.start();

        CaravanRuns.Result r = runs.run("restart", workflow("across-restart", """
                script: |
                  echo before
                  touch %s
                  sleep 3
                  echo after
                """.formatted(started)));
        restarter.join(30_000);

        assertThat(r.exit()).as(r.out()).isZero();
        TaskInstance job = runs.instances(r.runId()).get(0);
        assertThat(CaravanRuns.log(job)).isEqualTo("before\nafter\n");
        assertThat(((Number) r.section("ssh", server.host() + ":" + server.port())
                                .get("handshakes"))
                        .intValue())
                .as("a new connection after the restart")
                .isGreaterThanOrEqualTo(2);
    }

    /** Issue 14, acceptance 2: sshd killed and started again 3 s later while 200 jobs run. */
    @Test
    void twoHundredJobsRunAcrossAnSshdKilledForThreeSecondsNoneFailedDuplicatedOrLeft() throws Exception {
        OpenSshServer server = SSHD.server();
        int jobs = 200;
        Path ledger = base.resolve("ledger");
        CompletableFuture<CaravanRuns.Result> run = CompletableFuture.supplyAsync(() -> {
            try {
                return runs.run(
                        "outage", """
                        workflow: outage
                        connections:
                        %s
                        defaults: { target: rig }
                        tasks:
                          shard:
                            expand: { range: %d }
                            max_active: %d
                            remote_job:
                              script: echo "$ITEM" >> %s; sleep 6; echo "done $ITEM"
                              workdir_base: %s
                              poll_interval: 300ms
                        """.formatted(CaravanRuns.connection("rig", server), jobs, jobs, ledger, base));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (ledger(ledger).size() < jobs && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        int runningWhenKilled = ledger(ledger).size();
        server.stop(); // SIGKILL of sshd and every connection it serves
        Thread.sleep(3_000);
        server.start();
        CaravanRuns.Result r = run.get(120, TimeUnit.SECONDS);

        Map<String, Long> starts =
                ledger(ledger).stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        List<TaskInstance> all = runs.instances(r.runId());
        long failed = all.stream().filter(i -> i.state() != TaskState.SUCCEEDED).count();
        long duplicated = starts.values().stream().filter(n -> n > 1).count();
        List<Path> left;
        try (var dirs = Files.list(base)) {
            left = dirs.filter(Files::isDirectory).toList();
        }
        System.out.printf(
                "acceptance 2: %d jobs, %d running when sshd was killed for 3 s; exit %d, %d failed, %d duplicated,"
                        + " %d directories left, %d items in the ledger, wall %s ms%n",
                jobs,
                runningWhenKilled,
                r.exit(),
                failed,
                duplicated,
                left.size(),
                starts.size(),
                r.report().get("wall_ms"));
        assertThat(runningWhenKilled).isEqualTo(jobs);
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(failed).isZero();
        assertThat(starts).hasSize(jobs);
        assertThat(duplicated).isZero();
        assertThat(left).isEmpty();
    }

    private static List<String> ledger(Path file) throws IOException {
        return Files.exists(file)
                ? Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList()
                : List.of();
    }

    @Test
    void aMebibyteOfMultiByteLogArrivesByteIdentical() throws Exception {
        StringBuilder text = new StringBuilder();
        Random random = new Random(42);
        String alphabet = "aé€𝄞日本語ß\n"; // 1, 2, 3 and 4 byte characters
        while (text.toString().getBytes(StandardCharsets.UTF_8).length < (1 << 20)) {
            for (int i = 0; i < 4096; i++) {
                text.appendCodePoint(
                        alphabet.codePoints().toArray()[random.nextInt(alphabet.codePointCount(0, alphabet.length()))]);
            }
        }
        byte[] expected = text.toString().getBytes(StandardCharsets.UTF_8);
        Path source = Files.write(SSHD.server().workDir().resolve("big.txt"), expected);

        // written in two parts with a pause, so the log is read in chunks while the job runs
        CaravanRuns.Result r = runs.run("big", workflow("big-log", """
                script: head -c 700001 %1$s; sleep 1; tail -c +700002 %1$s
                """.formatted(source)));

        assertThat(r.exit()).as(r.out()).isZero();
        TaskInstance job = runs.instances(r.runId()).get(0);
        assertThat(Files.readAllBytes(Path.of(job.logPath()))).isEqualTo(expected);
    }

    @Test
    void aCleanupThatCannotRemoveTheDirectoryBecomesADebtUntilRetrySettlesIt() throws Exception {
        // the job pins a file (immutable even for root), so its directory cannot be removed
        CaravanRuns.Result r = runs.run("pinned", workflow("pinned", """
                script: touch "$CARAVAN_JOB_DIR/pinned" && chattr +i "$CARAVAN_JOB_DIR/pinned" && echo pinned
                cleanup: always
                """));
        assertThat(r.exit()).as(r.out()).isZero();
        Path jobDir;
        try (var dirs = Files.list(base)) {
            jobDir = dirs.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        assertThat(r.report()).containsEntry("cleanup_debts", 1);
        CaravanRuns.Result ls = CaravanRuns.cli("cleanup", "ls");
        assertThat(ls.out()).contains(jobDir.getFileName().toString()).contains("1 debt(s)");

        CaravanRuns.Result stillBlocked = CaravanRuns.cli("cleanup", "retry", "--all");
        assertThat(stillBlocked.exit()).as(stillBlocked.out()).isEqualTo(1);
        assertThat(stillBlocked.out()).contains("still owed 1");

        run("chattr", "-i", jobDir.resolve("pinned").toString());
        CaravanRuns.Result retried = CaravanRuns.cli("cleanup", "retry", "--all");
        assertThat(retried.exit()).as(retried.out()).isZero();
        assertThat(retried.out()).contains("removed 1");
        assertThat(jobDir).doesNotExist();
        assertThat(CaravanRuns.cli("cleanup", "ls").out()).contains("no cleanup debts");
    }

    @Test
    void aTimedOutJobIsKilledWithItsWholeProcessTree() throws Exception {
        String marker = "sleep 3" + (100 + new Random().nextInt(800));
        // the shell and its children ignore TERM: only the KILL after the grace ends them
        CaravanRuns.Result r = runs.run(
                "timeout",
                workflow("timed-out", """
                script: |
                  trap '' TERM
                  sh -c "trap '' TERM; exec %1$s" &
                  sh -c "exec %1$s" &
                  echo children started
                  wait
                kill_grace: 1s
                """.formatted(marker)).replace("  job:\n", "  job:\n    timeout: 2s\n"));

        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        TaskInstance job = runs.instances(r.runId()).get(0);
        assertThat(job.state()).isEqualTo(TaskState.FAILED);
        assertThat(job.error()).contains("timed out after PT2S");
        assertThat(CaravanRuns.log(job)).isEqualTo("children started\n");
        assertThat(processesMatching(marker)).as("processes left of the job").isEmpty();
    }

    @Test
    void theJobsOutputsJsonIsTheTaskOutputDownstream() throws Exception {
        CaravanRuns.Result r = runs.run("outputs", workflow("outputs", """
                script: |
                  echo '{"loss": 0.25, "files": ["a", "b"]}' > "$CARAVAN_OUTPUTS"
                """) + """
                  report:
                    depends_on: [job]
                    shell: echo loss={{ tasks.job.output.loss }} first={{ tasks.job.output.files }}
                """);

        assertThat(r.exit()).as(r.out()).isZero();
        TaskInstance report = runs.instances(r.runId()).stream()
                .filter(i -> i.taskId().equals("report"))
                .findFirst()
                .orElseThrow();
        assertThat(report.outputJson()).isEqualTo("\"loss=0.25 first=[a, b]\"");
    }

    @Test
    void sweepRemovesOnlyOurOldDirectoriesOfJobsThatAreNotRunning() throws Exception {
        OpenSshServer server = SSHD.server();
        CaravanRuns.Result r = runs.run("kept", workflow("kept", """
                script: echo kept
                cleanup: never
                """));
        assertThat(r.exit()).as(r.out()).isZero();
        Path ended;
        try (var dirs = Files.list(base)) {
            ended = dirs.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        Path foreign = Files.createDirectories(base.resolve("not-ours"));
        Path running = Files.createDirectories(base.resolve("other-run.job.0.1"));
        Files.writeString(running.resolve("owner"), OwnerMarker.engine("other", "other-run", "job", 0, 1) + "\n");
        Process sleeper = new ProcessBuilder("setsid", "sleep", "60").start();
        try {
            Files.writeString(running.resolve("pgid"), "-" + sleeper.pid() + " ok\n");
            for (Path dir : List.of(ended, foreign, running)) {
                run("touch", "-d", "2 hours ago", dir.toString());
            }
            Path young = Files.createDirectories(base.resolve("young"));
            Files.writeString(young.resolve("owner"), "engine=other\n");

            CaravanRuns.Result swept = CaravanRuns.cli(
                    "cleanup",
                    "sweep",
                    server.user() + "@" + server.host() + ":" + server.port(),
                    "-i",
                    server.clientKey().toString(),
                    "--known-hosts",
                    server.knownHosts().toString(),
                    "--base",
                    base.toString(),
                    "--ttl",
                    "1h");

            assertThat(swept.exit()).as(swept.out()).isZero();
            assertThat(swept.out()).contains(ended.getFileName() + " removed").contains("other-run.job.0.1 running");
            assertThat(ended).doesNotExist();
            assertThat(foreign).as("no owner marker: not ours").exists();
            assertThat(running).as("its process group is alive").exists();
            assertThat(young).as("younger than the TTL").exists();
        } finally {
            sleeper.destroyForcibly();
        }
    }

    private static List<String> processesMatching(String text) throws Exception {
        Process ps = new ProcessBuilder("ps", "-eo", "stat,args")
                .redirectErrorStream(true)
                .start();
        String out = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        ps.waitFor(10, TimeUnit.SECONDS);
        // zombies are already dead: only their parent (init) has not reaped them yet
        return out.lines()
                .filter(l -> l.contains(text) && !l.contains("ps -eo") && !l.startsWith("Z"))
                .toList();
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
    }
}
