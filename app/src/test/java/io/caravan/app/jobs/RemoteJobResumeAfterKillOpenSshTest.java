package io.caravan.app.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.caravan.app.fixtures.CaravanRuns;
import io.caravan.app.fixtures.EngineProcess;
import io.caravan.testkit.OpenSshExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote-job acceptance 3: SIGKILL the engine in the middle of a 200-job fan-out and resume the run: the jobs
 * already on the host are adopted, not started again; none is lost; nothing is left behind on the host. Even
 * items end at once, so the kill also falls among outcomes recorded whose directories were not yet removed.
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
        Path workflow = Files.writeString(home.resolve("resume.yaml"), """
                workflow: remote-resume
                connections:
                %s
                defaults: { target: rig }
                tasks:
                  shard:
                    expand: { range: 200 }
                    max_active: 200
                    remote_job:
                      script: echo "$ITEM" >> %s; [ $((ITEM %% 2)) = 0 ] || sleep 3; echo "done $ITEM"
                      workdir_base: %s
                      poll_interval: 300ms
                """.formatted(CaravanRuns.connection("rig", SSHD.server()), starts, base));

        engine = EngineProcess.start(home, "run", workflow.toString());
        String runId = engine.runId();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (lines(starts).size() < 60 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        engine.kill();
        int startedBeforeKill = lines(starts).size();
        assertThat(startedBeforeKill).as("jobs on the host when the engine died").isBetween(60, 199);

        System.setProperty("caravan.home", home.toString());
        CaravanRuns.Result resumed = CaravanRuns.cli("run", "--resume", runId);

        assertThat(resumed.exit()).as(resumed.out()).isZero();
        Map<String, Long> startsPerItem = lines(starts).stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(startsPerItem).as("items started on the host").hasSize(200);
        assertThat(startsPerItem.values()).as("starts per item").containsOnly(1L);
        new CaravanRuns(home).instances(runId).forEach(i -> {
            try {
                assertThat(CaravanRuns.log(i)).isEqualTo("done " + i.itemJson() + "\n");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try (Stream<Path> left = Files.list(base)) {
            assertThat(left.filter(Files::isDirectory).toList()).as("job directories left on the host").isEmpty();
        }
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
                """.formatted(CaravanRuns.connection("rig", SSHD.server()), base, crashed, crashed));

        engine = EngineProcess.start(home, "run", workflow.toString());
        String runId = engine.runId();
        engine.awaitExit();
        assertThat(crashed).as("the engine was killed by the second task").exists();
        List<Path> left;
        try (Stream<Path> dirs = Files.list(base)) {
            left = dirs.filter(Files::isDirectory).toList();
        }
        assertThat(left).as("the pinned job's directory, recorded but not removed").hasSize(1);
        unpin(base);

        System.setProperty("caravan.home", home.toString());
        CaravanRuns.Result resumed = CaravanRuns.cli("run", "--resume", runId);

        assertThat(resumed.exit()).as(resumed.out()).isZero();
        assertThat(left.get(0)).as("removed by the resumed run, not forgotten with the dead engine").doesNotExist();
        assertThat(CaravanRuns.cli("cleanup", "ls").out()).contains("no cleanup debts");
    }

    private static void unpin(Path base) throws Exception {
        try (Stream<Path> pinned = Files.walk(base)) {
            for (Path p : pinned.filter(f -> f.getFileName().toString().equals("pinned")).toList()) {
                new ProcessBuilder("chattr", "-i", p.toString()).inheritIO().start().waitFor();
            }
        }
    }

    private static List<String> lines(Path file) throws java.io.IOException {
        return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList() : List.of();
    }
}
