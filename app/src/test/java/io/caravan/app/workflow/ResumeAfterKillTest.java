package io.caravan.app.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.caravan.app.Main;
import io.caravan.app.fixtures.EngineProcess;
import io.caravan.core.runs.TaskState;
import io.caravan.core.storage.Database;
import io.caravan.core.storage.DatabaseConfig;
import io.caravan.core.storage.RunStore;
import io.caravan.core.storage.TaskInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Engine acceptance 4: SIGKILL `caravan run` mid-run; `run --resume` finishes it without re-running what succeeded. */
class ResumeAfterKillTest {
    @TempDir
    Path home;

    private EngineProcess engine;

    @AfterEach
    void cleanUp() {
        if (engine != null) {
            engine.close();
        }
        System.clearProperty("caravan.home");
    }

    @Test
    void aKilledRunResumesWithoutRunningSucceededTasksAgain() throws Exception {
        Path done = home.resolve("done.log");
        Path workflow = Files.writeString(home.resolve("slow.yaml"), """
                workflow: slow-fanout
                tasks:
                  shard:
                    expand: { range: 40 }
                    max_active: 4
                    shell: "sleep 0.3; echo {{ item }} >> %s"
                  after: { shell: "echo all done", depends_on: [shard] }
                """.formatted(done));

        engine = EngineProcess.start(home, "run", workflow.toString());
        String runId = engine.runId();
        EngineProcess.awaitLines(done, 12); // at most 4 in flight: 8 recorded as succeeded
        engine.kill();

        Set<Integer> succeededBeforeKill = succeededItems(runId);
        assertThat(succeededBeforeKill).hasSizeGreaterThanOrEqualTo(8).hasSizeLessThan(40);

        System.setProperty("caravan.home", home.toString());
        StringWriter out = new StringWriter();
        int exit = Main.commandLineForTests(new PrintWriter(out), new PrintWriter(new StringWriter()))
                .execute("run", "--resume", runId);

        assertThat(exit).as(out.toString()).isZero();
        List<String> lines = Files.readAllLines(done);
        for (int item : succeededBeforeKill) {
            assertThat(lines.stream()
                            .filter(l -> l.equals(String.valueOf(item)))
                            .count())
                    .as("item %d succeeded before the kill and must not run again", item)
                    .isEqualTo(1);
        }
        assertThat(lines.stream().map(Integer::valueOf).collect(Collectors.toSet()))
                .hasSize(40);
        assertThat(succeededItems(runId)).hasSize(40);

        StringWriter err = new StringWriter();
        int again = Main.commandLineForTests(new PrintWriter(new StringWriter()), new PrintWriter(err))
                .execute("run", "--resume", runId);
        assertThat(again).isEqualTo(2);
        assertThat(err.toString()).contains("run " + runId + " has already ended (succeeded) and cannot be resumed");
    }

    private Set<Integer> succeededItems(String runId) {
        try (Database db = Database.open(DatabaseConfig.embedded(home))) {
            return new RunStore(db)
                    .instances(runId).stream()
                            .filter(i -> i.taskId().equals("shard") && i.state() == TaskState.SUCCEEDED)
                            .map(TaskInstance::itemIndex)
                            .collect(Collectors.toSet());
        }
    }
}
