package io.caravan.app.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.caravan.app.fixtures.CaravanRuns;
import io.caravan.app.fixtures.TempCaravanHome;
import io.caravan.core.runs.TaskState;
import io.caravan.core.storage.TaskInstance;
import io.caravan.testkit.OpenSshExtension;
import io.caravan.testkit.OpenSshServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 17, target 2: no host waits on another's slowness. Two real sshd; every command on the slow one waits while
 * a hold file exists (its {@code ForceCommand} runs the command only then). The test holds the slow host while a job
 * runs on each, so that its status command hangs; the fast host's job, which ends only once that has happened, must
 * be completed (outcome recorded, directory removed) while the slow host is still held. Ordering only, no timing:
 * were the hosts' polls taken one after the other, the fast host would not be polled before the release.
 */
class RemoteJobSlowHostOpenSshTest {
    private static final Path SLOW_DIR =
            Path.of(System.getProperty("java.io.tmpdir"), "caravan-slow-host-" + UUID.randomUUID());
    private static final Path HOLD = SLOW_DIR.resolve("hold");
    private static final Path HELD = SLOW_DIR.resolve("held");

    @RegisterExtension
    static final OpenSshExtension FAST = OpenSshExtension.defaults();

    /** Waits (bounded: 60 s) while the hold file exists, noting that a command was held; then runs the command. */
    @RegisterExtension
    static final OpenSshExtension SLOW = OpenSshExtension.with(b -> b.workDir(SLOW_DIR)
            .extraConfig(("ForceCommand"
                            + " if [ -e %1$s ]; then touch %2$s; i=0; while [ -e %1$s ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done; fi;"
                            + " exec \"$SHELL\" -c \"$SSH_ORIGINAL_COMMAND\"")
                    .formatted(HOLD, HELD)));

    @RegisterExtension
    final TempCaravanHome caravanHome = new TempCaravanHome();

    @Test
    void theFastHostsJobIsCompletedWhileTheSlowHostsStatusCommandHangs() throws Exception {
        OpenSshServer fast = FAST.server();
        OpenSshServer slow = SLOW.server();
        Path fastBase = Files.createDirectories(fast.workDir().resolve("jobs-fast"));
        Path slowBase = Files.createDirectories(slow.workDir().resolve("jobs-slow"));
        Path fastStarted = fast.workDir().resolve("fast-started");
        Path slowStarted = slow.workDir().resolve("slow-started");
        Path slowGo = slow.workDir().resolve("slow-go");
        CaravanRuns runs = new CaravanRuns(caravanHome.home());
        CompletableFuture<CaravanRuns.Result> run = CompletableFuture.supplyAsync(() -> {
            try {
                return runs.run("slow-host", """
                        workflow: slow-host
                        connections:
                        %s%s
                        tasks:
                          fast:
                            target: a
                            remote_job:
                              script: touch %s; for i in $(seq 1200); do [ -e %s ] && break; sleep 0.05; done; echo fast
                              workdir_base: %s
                              poll_interval: 200ms
                          slow:
                            target: b
                            remote_job:
                              script: touch %s; for i in $(seq 1200); do [ -e %s ] && break; sleep 0.05; done; echo slow
                              workdir_base: %s
                              poll_interval: 200ms
                        """.formatted(
                                CaravanRuns.connection("a", fast),
                                CaravanRuns.connection("b", slow),
                                fastStarted,
                                HELD,
                                fastBase,
                                slowStarted,
                                slowGo,
                                slowBase));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        awaitFile(fastStarted, run);
        awaitFile(slowStarted, run);
        Files.createFile(HOLD);
        try {
            awaitFile(HELD, run);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!dirs(fastBase).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(dirs(fastBase))
                    .as("the fast host's job completed while the slow host's command hangs")
                    .isEmpty();
            assertThat(run).as("the run waits for the slow host").isNotDone();
        } finally {
            Files.createFile(slowGo);
            Files.deleteIfExists(HOLD);
        }

        CaravanRuns.Result r = run.get(120, TimeUnit.SECONDS);
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.tasks()).containsEntry("succeeded", 2);
        for (TaskInstance i : runs.instances(r.runId())) {
            assertThat(i.state()).isEqualTo(TaskState.SUCCEEDED);
            assertThat(CaravanRuns.log(i)).isEqualTo(i.taskId() + "\n");
        }
        assertThat(dirs(slowBase)).isEmpty();
    }

    private static void awaitFile(Path file, CompletableFuture<CaravanRuns.Result> run) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(file) && !run.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(file)
                .as("%s (run ended early: %s)", file, run.isDone() ? run.join().out() : "no")
                .exists();
    }

    private static List<Path> dirs(Path base) throws IOException {
        try (Stream<Path> left = Files.list(base)) {
            return left.filter(Files::isDirectory).toList();
        }
    }
}
