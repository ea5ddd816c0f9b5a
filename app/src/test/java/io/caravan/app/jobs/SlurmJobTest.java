package io.caravan.app.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.caravan.app.fixtures.CaravanRuns;
import io.caravan.app.fixtures.SlurmLogin;
import io.caravan.app.fixtures.TemplateCorpus;
import io.caravan.core.runs.TaskState;
import io.caravan.core.storage.TaskInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugin acceptance 1: the slurm plugin against a real single-node Slurm (slurmctld, slurmd, munged started
 * here on loopback), driven over a real sshd as the login node.
 */
class SlurmJobTest {
    @RegisterExtension
    static final SlurmLogin CLUSTER = SlurmLogin.cluster();

    @TempDir
    Path home;

    private Path base;

    @BeforeEach
    void home() throws Exception {
        System.setProperty("caravan.home", home.toString());
        base = Files.createDirectories(CLUSTER.slurm().workDir().resolve("jobs-" + System.nanoTime()));
    }

    @AfterEach
    void clear() {
        System.clearProperty("caravan.home");
    }

    private String workflow(String id, String tasks) {
        return """
                workflow: %s
                connections:
                %s
                defaults: { target: login }
                tasks:
                %s
                """.formatted(id, CaravanRuns.connection("login", CLUSTER.login()), tasks.indent(2));
    }

    @Test
    void aTwoHundredItemFanOutIsOneJobArrayPolledOncePerRound() throws Exception {
        CaravanRuns.Result r = new CaravanRuns(home).run("array", workflow("slurm-array", """
                shard:
                  expand: { range: 200 }
                  max_active: 200
                  slurm_job:
                    script: echo "element $ITEM"; exit $((ITEM %% 9 == 0))
                    workdir_base: %s
                    poll_interval: 500ms
                """.formatted(base)));

        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        int failing = (int) IntStream.range(0, 200).filter(i -> i % 9 == 0).count();
        assertThat(r.tasks()).containsEntry("succeeded", 200 - failing).containsEntry("failed", failing);
        for (TaskInstance i : new CaravanRuns(home).instances(r.runId())) {
            int item = Integer.parseInt(i.itemJson());
            assertThat(CaravanRuns.log(i)).isEqualTo("element " + item + "\n");
            assertThat(i.state()).isEqualTo(item % 9 == 0 ? TaskState.FAILED : TaskState.SUCCEEDED);
        }
        // %F: the array's job id, %Z: its working directory (this test's base)
        assertThat(CLUSTER.slurm()
                        .output("squeue", "--states=all", "-h", "-r", "-o", "%F %Z")
                        .lines()
                        .filter(l -> l.endsWith(" " + base))
                        .map(l -> l.split(" ")[0])
                        .distinct()
                        .toList())
                .as("Slurm jobs (array ids) submitted for the 200 items")
                .hasSize(1);
        Map<String, Object> jobs = r.section(
                "remote_jobs", CLUSTER.login().host() + ":" + CLUSTER.login().port() + ":" + base);
        long rounds = ((Number) jobs.get("rounds")).longValue();
        long polls = ((Number) jobs.get("poll_commands")).longValue();
        assertThat(((Number) jobs.get("submit_commands")).intValue()).isEqualTo(1);
        long wall = ((Number) r.report().get("wall_ms")).longValue();
        // each poll command is one squeue for all of the host's jobs, at most one per poll interval (500 ms, due
        // 5 ms early) however many jobs are active: the count follows the run's length, never the 200 jobs
        assertThat(polls).isLessThanOrEqualTo(rounds).isLessThanOrEqualTo(wall / 495 + 2);
        try (Stream<Path> left = Files.list(base)) {
            assertThat(left.filter(p -> Files.isDirectory(p)
                                    && !p.getFileName().toString().startsWith("."))
                            .toList())
                    .as("only failed elements keep their directory")
                    .hasSize(failing);
        }
    }

    /** Security acceptance 2 for slurm_job: every hostile value through every context of script and env ({@link TemplateCorpus}). */
    @Test
    void slurmJobsReceiveExactlyTheValuesInTheirScriptAndEnvironment() throws Exception {
        TemplateCorpus corpus = new TemplateCorpus(Files.createDirectories(base.resolve("out")));
        String tasks = corpus.tasks(
                (script, fanOut) -> "slurm_job:\n"
                        + ("""
                workdir_base: %s
                cleanup: never
                poll_interval: 500ms
                partition: "{{ params.partition }}"
                """.formatted(base) + (fanOut ? "env: { V: \"{{ item.v }}\" }\n" : "") + "script: |\n"
                                        + script.indent(2))
                                .indent(2),
                true);
        // partition: a plain value that the plugin quotes itself (it was quoted twice when options were shell text)
        CaravanRuns.Result r = new CaravanRuns(home)
                .run(
                        "hostile",
                        workflow("slurm-hostile", tasks)
                                .replace(
                                        "connections:",
                                        corpus.params().replace(" }", ", partition: debug }") + "\nconnections:"),
                        corpus.sets());

        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        corpus.verify(new CaravanRuns(home), r, true);
    }

    @Test
    void aCancelledJobFailsWithoutRetriesAndATimedOutJobSaysSo() throws Exception {
        Thread canceller = new Thread(() -> {
            try {
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (System.nanoTime() < deadline) {
                    try (Stream<Path> dirs = Files.list(base)) {
                        Path slurmId = dirs.filter(
                                        d -> d.getFileName().toString().contains(".cancelled."))
                                .map(d -> d.resolve("slurm"))
                                .filter(Files::exists)
                                .findFirst()
                                .orElse(null);
                        if (slurmId != null
                                && CLUSTER.slurm()
                                        .output("squeue", "-h", "-t", "running", "-o", "%i")
                                        .contains(Files.readString(slurmId).split(" ")[0])) {
                            CLUSTER.slurm()
                                    .output("scancel", Files.readString(slurmId).split(" ")[0]);
                            return;
                        }
                    }
                    Thread.sleep(200);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        canceller.start();

        CaravanRuns.Result r = new CaravanRuns(home).run("limits", workflow("slurm-limits", """
                cancelled:
                  retries: 2
                  slurm_job: { script: sleep 600, workdir_base: %1$s, poll_interval: 500ms }
                limited:
                  slurm_job: { script: sleep 600, time_limit: "1", workdir_base: %1$s, poll_interval: 500ms }
                """.formatted(base)));
        canceller.join(60_000);

        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        TaskInstance cancelled = new CaravanRuns(home).instance(r.runId(), "cancelled", 0);
        TaskInstance limited = new CaravanRuns(home).instance(r.runId(), "limited", 0);
        assertThat(cancelled.state()).isEqualTo(TaskState.FAILED);
        assertThat(cancelled.error()).contains("CANCELLED");
        assertThat(cancelled.attempt()).as("a cancelled job is not retried").isEqualTo(1);
        assertThat(limited.state()).isEqualTo(TaskState.FAILED);
        // retried under retries: like OUT_OF_MEMORY, as a later attempt may ask for more time (SlurmStatesTest)
        assertThat(limited.error()).contains("TIMEOUT: Slurm stopped it at its time limit");
    }

    /** File staging on slurm_job: the job directory on the login node, the job on a compute node, the same files. */
    @Test
    void aSlurmJobReadsItsStagedInputAndItsOutputComesBack() throws Exception {
        Files.writeString(home.resolve("input.txt"), "3\n1\n2\n");
        CaravanRuns.Result r =
                new CaravanRuns(home).run("slurm-staging", workflow("slurm-staging", """
                sort:
                  slurm_job:
                    workdir_base: %s
                    poll_interval: 500ms
                    stage_in: [ { from: input.txt } ]
                    stage_out: [ { from: sorted.txt, to: out/sorted.txt } ]
                    script: sort -n input.txt > sorted.txt
                """.formatted(base)));

        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(home.resolve("out/sorted.txt")).hasContent("1\n2\n3");
        TaskInstance job = new CaravanRuns(home).instances(r.runId()).get(0);
        assertThat(CaravanRuns.log(job))
                .contains("[caravan] stage_in: 1 file, 6 B")
                .contains("[caravan] stage_out: 1 file, 6 B");
    }
}
