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
 * already on the host are adopted, not started again; none is lost; nothing is left behind on the host.
 */
class RemoteJobResumeAfterKillOpenSshTest {
    @RegisterExtension
    static final OpenSshExtension SSHD = OpenSshExtension.defaults();

    @TempDir
    Path home;
    private EngineProcess engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
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
                      script: echo "$ITEM" >> %s; sleep 3; echo "done $ITEM"
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

    private static List<String> lines(Path file) throws java.io.IOException {
        return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList() : List.of();
    }
}
