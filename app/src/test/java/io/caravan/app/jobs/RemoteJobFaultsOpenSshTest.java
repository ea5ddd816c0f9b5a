package io.caravan.app.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.caravan.app.fixtures.CaravanRuns;
import io.caravan.app.fixtures.TempCaravanHome;
import io.caravan.core.runs.TaskState;
import io.caravan.core.storage.TaskInstance;
import io.caravan.testkit.OpenSshExtension;
import io.caravan.testkit.OpenSshServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Remote-job faults of one host's jobs that must stay with those jobs (issue 14, acceptance 5; faults 2 and 6). */
class RemoteJobFaultsOpenSshTest {
    @RegisterExtension
    static final OpenSshExtension SSHD = OpenSshExtension.defaults();

    @RegisterExtension
    final TempCaravanHome caravan = new TempCaravanHome();

    @Test
    void aTaskWithAnUnwritableBaseFailsWithTheHostsWordsWhileTheOtherTasksHundredJobsSucceed() throws Exception {
        OpenSshServer server = SSHD.server();
        Path good = Files.createDirectories(server.workDir().resolve("jobs-good-" + System.nanoTime()));
        // immutable even for root (the test's sshd login): the host refuses the job directory
        Path locked = Files.createDirectories(server.workDir().resolve("locked-" + System.nanoTime()));
        run("chattr", "+i", locked.toString());
        try {
            long start = System.nanoTime();
            CaravanRuns.Result r = new CaravanRuns(caravan.home())
                    .run("faults", """
                    workflow: two-bases
                    connections:
                    %s
                    defaults: { target: rig }
                    tasks:
                      fine:
                        expand: { range: 100 }
                        max_active: 100
                        remote_job:
                          script: 'echo "ok $ITEM"'
                          workdir_base: %s
                          poll_interval: 300ms
                      refused:
                        retries: 2
                        remote_job:
                          script: echo never
                          workdir_base: %s
                    """.formatted(CaravanRuns.connection("rig", server), good, locked.resolve("jobs")));
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertThat(r.exit()).as(r.out()).isEqualTo(1);
            List<TaskInstance> all = new CaravanRuns(caravan.home()).instances(r.runId());
            List<TaskInstance> fine =
                    all.stream().filter(i -> i.taskId().equals("fine")).toList();
            TaskInstance refused = all.stream()
                    .filter(i -> i.taskId().equals("refused"))
                    .findFirst()
                    .orElseThrow();
            System.out.printf(
                    "acceptance 5: %d of %d jobs of 'fine' succeeded; 'refused' %s after %d attempt(s): %s;"
                            + " run took %d ms%n",
                    fine.stream().filter(i -> i.state() == TaskState.SUCCEEDED).count(),
                    fine.size(),
                    refused.state(),
                    refused.attempt(),
                    refused.error(),
                    millis);
            assertThat(fine).hasSize(100).allSatisfy(i -> assertThat(i.state()).isEqualTo(TaskState.SUCCEEDED));
            assertThat(refused.state()).isEqualTo(TaskState.FAILED);
            assertThat(refused.error()).contains(server.host()).containsIgnoringCase("not permitted");
            assertThat(refused.attempt()).as("a refusal is not retried").isEqualTo(1);

            // failed, but no job of it was left on a host given up on: nothing to take up
            CaravanRuns.Result resumed = CaravanRuns.cli("run", "--resume", r.runId());
            assertThat(resumed.exit()).isEqualTo(2);
            assertThat(resumed.out().strip().lines())
                    .hasSize(1)
                    .allSatisfy(l -> assertThat(l).contains("(failed) and cannot be resumed"));
        } finally {
            run("chattr", "-i", locked.toString());
        }
    }

    @Test
    void resumingARunThatHasEndedIsOneLineAndExitTwo() throws Exception {
        Path base = Files.createDirectories(SSHD.server().workDir().resolve("jobs-ended-" + System.nanoTime()));
        CaravanRuns.Result r = new CaravanRuns(caravan.home())
                .run("ended", """
                workflow: ended
                connections:
                %s
                defaults: { target: rig }
                tasks:
                  one:
                    remote_job: { script: echo one, workdir_base: %s }
                """.formatted(CaravanRuns.connection("rig", SSHD.server()), base));
        assertThat(r.exit()).as(r.out()).isZero();

        CaravanRuns.Result resumed = CaravanRuns.cli("run", "--resume", r.runId());

        System.out.printf(
                "acceptance 3 (--resume of an ended run): exit %d, output '%s'%n",
                resumed.exit(), resumed.out().strip());
        assertThat(resumed.exit()).isEqualTo(2);
        assertThat(resumed.out().strip().lines())
                .hasSize(1)
                .allSatisfy(l -> assertThat(l).contains(r.runId()).contains("cannot be resumed"));
        assertThat(resumed.out()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
    }
}
