package io.caravan.app.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.caravan.app.fixtures.CaravanRuns;
import io.caravan.app.fixtures.TempCaravanHome;
import io.caravan.core.runs.RunState;
import io.caravan.core.runs.TaskState;
import io.caravan.core.storage.Run;
import io.caravan.core.storage.TaskInstance;
import io.caravan.testkit.OpenSshExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 19, acceptance 2 on a real sshd: a workflow's timeout fails the run and kills its remote job's processes. */
class RunTimeoutOpenSshTest {
    @RegisterExtension
    static final OpenSshExtension SSHD = OpenSshExtension.defaults();

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofSeconds(1);

    @RegisterExtension
    final TempCaravanHome caravanHome = new TempCaravanHome();

    @Test
    void aRunPastItsTimeoutFailsAndItsRemoteJobIsKilled() throws Exception {
        Path base = Files.createDirectories(SSHD.server().workDir().resolve("jobs-" + System.nanoTime()));
        // a sleep whose command line is this test's own: what is left of the job on the host is found by it
        String marker = "sleep 60." + ThreadLocalRandom.current().nextInt(100_000, 1_000_000);
        CaravanRuns.Result r = new CaravanRuns(caravanHome.home()).run("timeout", """
                workflow: timeout
                timeout: %ds
                connections:
                %s
                tasks:
                  job:
                    target: rig
                    remote_job:
                      script: %s
                      workdir_base: %s
                      cleanup: always
                      poll_interval: %dms
                """.formatted(
                TIMEOUT.toSeconds(), CaravanRuns.connection("rig", SSHD.server()), marker, base, POLL.toMillis()));

        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        Run run = new CaravanRuns(caravanHome.home()).runRecord(r.runId());
        Duration took = Duration.between(run.startedAt(), run.endedAt());
        System.out.printf(
                "timeout %s, poll interval %s: the run failed %d ms after its start (measured %s, caravan run"
                        + " on a loopback OpenSSH sshd)%n",
                TIMEOUT, POLL, took.toMillis(), Instant.now());
        assertThat(run.state()).isEqualTo(RunState.FAILED);
        assertThat(run.reason()).contains("timed out").contains("5s");
        assertThat(took).isLessThanOrEqualTo(TIMEOUT.plus(POLL));
        TaskInstance job = new CaravanRuns(caravanHome.home()).instance(r.runId(), "job", 0);
        assertThat(job.state()).isEqualTo(TaskState.CANCELLED);
        assertThat(job.error()).contains("timed out");
        assertThat(pgrep(marker)).as("processes of the job left on the host").isEmpty();
        try (var dirs = Files.list(base)) { // cleanup: always, as for any job that ended
            assertThat(dirs.filter(Files::isDirectory).toList())
                    .as("job directories left")
                    .isEmpty();
        }
    }

    private static String pgrep(String pattern) throws Exception {
        Process p = new ProcessBuilder("pgrep", "-af", pattern)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor(10, TimeUnit.SECONDS);
        // pgrep -f matches its own command line too
        return out.lines()
                .filter(l -> !l.contains("pgrep"))
                .reduce("", (a, b) -> a + b + "\n")
                .strip();
    }
}
