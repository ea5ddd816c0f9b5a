package io.caravan.app.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.caravan.app.fixtures.CaravanRuns;
import io.caravan.app.fixtures.EngineProcess;
import io.caravan.core.runs.TaskState;
import io.caravan.testkit.OpenSshExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, acceptance 1: SIGKILL the engine in the middle of 300 jobs ({@code sleep 3}) and resume the run: the jobs
 * already on the host are adopted, not started again; none is lost; nothing is left behind on the host. The kill
 * falls among jobs still queued, running, and ended (some with outcomes recorded whose directories were not yet removed).
 */
class RemoteJobResumeAfterKillOpenSshTest {
    @RegisterExtension
    static final OpenSshExtension SSHD = OpenSshExtension.defaults();

    @TempDir
    Path home;

    private EngineProcess engine;

    @AfterEach
    void stop() throws Exception {
        if (engine != null) {
            engine.close();
        }
        unpin(SSHD.server().workDir()); // a failed test must not leave an immutable file behind
        System.clearProperty("caravan.home");
    }

    @Test
    void aKilledEngineResumesAndNoJobStartsTwiceNoneIsLostNoneIsOrphaned() throws Exception {
        Path base = Files.createDirectories(SSHD.server().workDir().resolve("jobs-resume"));
        Path starts = SSHD.server().workDir().resolve("starts.log");
        int jobs = 300;
        Path workflow = Files.writeString(home.resolve("resume.yaml"), """
                workflow: remote-resume
                connections:
                %s
                defaults: { target: rig }
                tasks:
                  shard:
                    expand: { range: %d }
                    max_active: %d
                    remote_job:
                      script: echo "$ITEM" >> %s; sleep 3; echo "done $ITEM"
                      workdir_base: %s
                      poll_interval: 300ms
                """.formatted(
                        CaravanRuns.connection("rig", SSHD.server()), jobs, jobs, starts, base));

        engine = EngineProcess.start(home, "run", workflow.toString());
        String runId = engine.runId();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (lines(starts).size() < 150 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        engine.kill();
        long killed = System.nanoTime();
        int startedBeforeKill = lines(starts).size();

        System.setProperty("caravan.home", home.toString());
        CaravanRuns.Result resumed = CaravanRuns.cli("run", "--resume", runId);

        Map<String, Long> startsPerItem =
                lines(starts).stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        List<Path> leftOver;
        try (Stream<Path> left = Files.list(base)) {
            leftOver = left.filter(Files::isDirectory).toList();
        }
        long succeeded = new CaravanRuns(home)
                .instances(runId).stream()
                        .filter(i -> i.state() == TaskState.SUCCEEDED)
                        .count();
        System.out.printf(
                "acceptance 1: %d jobs (sleep 3), engine SIGKILLed with %d started; resume: exit %d after %d ms,"
                        + " %d items in the ledger, starts per item %s, %d succeeded, %d directories left%n",
                jobs,
                startedBeforeKill,
                resumed.exit(),
                (System.nanoTime() - killed) / 1_000_000,
                startsPerItem.size(),
                new TreeSet<>(startsPerItem.values()),
                succeeded,
                leftOver.size());
        assertThat(startedBeforeKill)
                .as("jobs on the host when the engine died (each runs 3 s)")
                .isGreaterThanOrEqualTo(150);
        assertThat(resumed.exit()).as(resumed.out()).isZero();
        assertThat(startsPerItem).as("items started on the host").hasSize(jobs);
        assertThat(startsPerItem.values()).as("starts per item").containsOnly(1L);
        new CaravanRuns(home).instances(runId).forEach(i -> {
            try {
                assertThat(CaravanRuns.log(i)).isEqualTo("done " + i.itemJson() + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertThat(leftOver).as("job directories left on the host").isEmpty();
    }

    @Test
    void anEngineKilledBetweenRecordingAJobAndRemovingItsDirectoryHasItRemovedOnResume() throws Exception {
        Path base = Files.createDirectories(SSHD.server().workDir().resolve("jobs-crash"));
        Path crashed = home.resolve("crashed-once");
        // the job pins a file so that its directory cannot be removed at once; the next task kills the engine
        // (its parent) while that removal is being retried, after the job's outcome was recorded
        Path workflow = Files.writeString(home.resolve("crash.yaml"), """
                workflow: crash-before-cleanup
                connections:
                %s
                defaults: { target: rig }
                tasks:
                  pinned:
                    remote_job:
                      script: touch "$CARAVAN_JOB_DIR/pinned" && chattr +i "$CARAVAN_JOB_DIR/pinned" && echo pinned
                      cleanup: always
                      workdir_base: %s
                      poll_interval: 200ms
                  crash:
                    depends_on: [pinned]
                    shell: "[ -f %s ] || { touch %s; kill -9 $PPID; }"
                """.formatted(
                        CaravanRuns.connection("rig", SSHD.server()), base, crashed, crashed));

        engine = EngineProcess.start(home, "run", workflow.toString());
        String runId = engine.runId();
        engine.awaitExit();
        assertThat(crashed).as("the engine was killed by the second task").exists();
        List<Path> left;
        try (Stream<Path> dirs = Files.list(base)) {
            left = dirs.filter(Files::isDirectory).toList();
        }
        assertThat(left)
                .as("the pinned job's directory, recorded but not removed")
                .hasSize(1);
        unpin(base);

        System.setProperty("caravan.home", home.toString());
        CaravanRuns.Result resumed = CaravanRuns.cli("run", "--resume", runId);

        assertThat(resumed.exit()).as(resumed.out()).isZero();
        assertThat(left.get(0))
                .as("removed by the resumed run, not forgotten with the dead engine")
                .doesNotExist();
        assertThat(CaravanRuns.cli("cleanup", "ls").out()).contains("no cleanup debts");
    }

    private static void unpin(Path base) throws Exception {
        try (Stream<Path> pinned = Files.walk(base)) {
            for (Path p : pinned.filter(f -> f.getFileName().toString().equals("pinned"))
                    .toList()) {
                new ProcessBuilder("chattr", "-i", p.toString())
                        .inheritIO()
                        .start()
                        .waitFor();
            }
        }
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file)
                ? Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList()
                : List.of();
    }
}
