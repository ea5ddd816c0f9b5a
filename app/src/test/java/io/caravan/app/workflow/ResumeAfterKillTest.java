package io.caravan.app.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.caravan.app.Main;
import io.caravan.core.runs.TaskState;
import io.caravan.core.storage.Database;
import io.caravan.core.storage.DatabaseConfig;
import io.caravan.core.storage.RunStore;
import io.caravan.core.storage.TaskInstanceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Engine acceptance 4: SIGKILL `caravan run` mid-run; `run --resume` finishes it without re-running what succeeded. */
class ResumeAfterKillTest {
    @TempDir
    Path home;
    private Process engine;

    @AfterEach
    void cleanUp() {
        if (engine != null) {
            engine.destroyForcibly();
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

        engine = new ProcessBuilder(javaBinary(), "-cp", classpath(), "-Dcaravan.home=" + home, "io.caravan.app.Main",
                "run", workflow.toString()).redirectErrorStream(true).start();
        String runId = runIdFrom(engine);
        awaitSucceeded(runId, 8);
        engine.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no shutdown hook, no cleanup

        Set<Integer> succeededBeforeKill = succeededItems(runId);
        assertThat(succeededBeforeKill).hasSizeGreaterThanOrEqualTo(8).hasSizeLessThan(40);

        System.setProperty("caravan.home", home.toString());
        StringWriter out = new StringWriter();
        int exit = Main.commandLineForTests(new PrintWriter(out), new PrintWriter(new StringWriter()))
                .execute("run", "--resume", runId);

        assertThat(exit).as(out.toString()).isZero();
        List<String> lines = Files.readAllLines(done);
        for (int item : succeededBeforeKill) {
            assertThat(lines.stream().filter(l -> l.equals(String.valueOf(item))).count())
                    .as("item %d succeeded before the kill and must not run again", item).isEqualTo(1);
        }
        assertThat(lines.stream().map(Integer::valueOf).collect(Collectors.toSet())).hasSize(40);
        assertThat(succeededItems(runId)).hasSize(40);
    }

    private Set<Integer> succeededItems(String runId) {
        try (Database db = Database.open(DatabaseConfig.embedded(home))) {
            return new RunStore(db).instances(runId).stream()
                    .filter(i -> i.taskId().equals("shard") && i.state() == TaskState.SUCCEEDED)
                    .map(TaskInstanceRecord::itemIndex).collect(Collectors.toSet());
        }
    }

    private static String runIdFrom(Process process) throws Exception {
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (String line; System.nanoTime() < deadline && (line = reader.readLine()) != null; ) {
            if (line.startsWith("run ") && line.contains(" of workflow ")) {
                Thread drain = new Thread(() -> reader.lines().forEach(l -> { }));
                drain.setDaemon(true);
                drain.start();
                return line.split(" ")[1];
            }
        }
        throw new AssertionError("the engine process never printed its run id");
    }

    /** Watches the running engine's database (H2 lets a second process in through its auto-server). */
    private void awaitSucceeded(String runId, int count) throws Exception {
        String url = DatabaseConfig.embedded(home).url();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "sa", "");
                 java.sql.PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM task_instances"
                         + " WHERE run_id = ? AND task_id = 'shard' AND state = 'SUCCEEDED'")) {
                q.setString(1, runId);
                try (java.sql.ResultSet rs = q.executeQuery()) {
                    if (rs.next() && rs.getInt(1) >= count) {
                        return;
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the run never got going");
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String classpath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

}
