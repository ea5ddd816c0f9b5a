package io.caravan.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.caravan.app.Main;
import io.caravan.app.session.DatabaseOptions;
import io.caravan.core.runs.RunState;
import io.caravan.core.storage.Run;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs queued by `caravan trigger` and runs a stopped server left unfinished. */
class ServerRunsTest {
    @TempDir
    Path home;

    private Path workflows;
    private Path done;

    @BeforeEach
    void workflows() throws Exception {
        System.setProperty("caravan.home", home.toString());
        workflows = Files.createDirectories(home.resolve("workflows"));
        done = home.resolve("done.log");
        Files.writeString(workflows.resolve("slow.yaml"), """
                workflow: slow
                params: { n: 12 }
                tasks:
                  step:
                    expand: { range: "{{ params.n }}" }
                    max_active: 2
                    shell: "sleep 0.25; echo {{ item }} >> %s"
                """.formatted(done));
    }

    @AfterEach
    void clear() {
        System.clearProperty("caravan.home");
    }

    @Test
    void aTriggeredRunIsStartedByTheServerAndARunCutByAStopFinishesAfterTheRestart() throws Exception {
        CaravanServer.Settings settings = new CaravanServer.Settings(
                home, new DatabaseOptions(), workflows, home.resolve("routes"), Duration.ofSeconds(60));
        String runId;
        try (CaravanServer server = CaravanServer.start(settings)) {
            StringWriter out = new StringWriter();
            int exit = Main.commandLineForTests(new PrintWriter(out), new PrintWriter(new StringWriter()))
                    .execute("trigger", "slow", "--set", "n=10");
            assertThat(exit).as(out.toString()).isZero();
            runId = out.toString().split(" ")[2];
            awaitLines(4);
        }
        Run cut;
        try (CaravanServer server = CaravanServer.start(settings)) {
            cut = server.session().store().run(runId).orElseThrow();
            assertThat(server.resumedRuns()).isEqualTo(1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!server.session().store().run(runId).orElseThrow().state().finished()
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(server.session().store().run(runId).orElseThrow().state())
                    .isEqualTo(RunState.SUCCEEDED);
        }
        assertThat(cut.trigger()).isEqualTo("cli");
        assertThat(Files.readAllLines(done).stream().distinct()).hasSize(10);
    }

    @Test
    void triggeringAnUnknownWorkflowExitsTwo() {
        StringWriter err = new StringWriter();
        int exit = Main.commandLineForTests(new PrintWriter(new StringWriter()), new PrintWriter(err))
                .execute("trigger", "nope", "--workflows", workflows.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("no workflow 'nope' in " + workflows);
    }

    @Test
    void runningAnInvalidFileExitsTwoAndCreatesNoRun() throws Exception {
        Path bad = Files.writeString(
                home.resolve("bad.yaml"), "workflow: bad\ntasks:\n  a: { shell: \"true\", depends_on: [zz] }\n");
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        int exit = Main.commandLineForTests(new PrintWriter(out), new PrintWriter(err))
                .execute("run", bad.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains(bad + ":3:36: task 'a' depends on unknown task 'zz'");
        Main.commandLineForTests(new PrintWriter(out), new PrintWriter(err)).execute("runs");
        assertThat(out.toString()).doesNotContain(" bad ");
    }

    private void awaitLines(int lines) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.exists(done) && Files.readAllLines(done).size() >= lines) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the queued run was never started");
    }
}
