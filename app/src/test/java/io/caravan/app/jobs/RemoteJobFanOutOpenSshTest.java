package io.caravan.app.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.caravan.app.fixtures.CaravanRuns;
import io.caravan.app.fixtures.TempCaravanHome;
import io.caravan.core.runs.TaskState;
import io.caravan.core.storage.TaskInstance;
import io.caravan.testkit.OpenSshExtension;
import io.caravan.testkit.OpenSshServer;
import io.caravan.testkit.SshdLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Remote-job acceptance 1: a thousand detached jobs on one host at default sshd limits, through `caravan run`. */
class RemoteJobFanOutOpenSshTest {
    @RegisterExtension
    static final OpenSshExtension SSHD = OpenSshExtension.defaults();

    @RegisterExtension
    final TempCaravanHome caravanHome = new TempCaravanHome();

    @Test
    void aThousandJobsEndRightOnTwoHandshakesWithPollingThatGrowsWithRoundsNotJobs() throws Exception {
        OpenSshServer server = SSHD.server();
        Path base = Files.createDirectories(server.workDir().resolve("jobs-fanout"));
        SshdLog log = server.log().since(server.log().mark());

        CaravanRuns.Result r = new CaravanRuns(caravanHome.home())
                .run("fanout", """
                workflow: remote-fanout
                params: { n: 1000 }
                connections:
                %s
                defaults: { target: rig }
                tasks:
                  shard:
                    expand: { range: "{{ params.n }}" }
                    max_active: 1000
                    remote_job:
                      script: 'echo "line of $ITEM"; exit $((ITEM %% 7 == 0))'
                      cleanup: on_success
                      workdir_base: %s
                      poll_interval: 500ms
                """.formatted(CaravanRuns.connection("rig", server), base));

        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        int failing = (int) IntStream.range(0, 1000).filter(i -> i % 7 == 0).count();
        assertThat(r.tasks()).containsEntry("succeeded", 1000 - failing).containsEntry("failed", failing);
        for (TaskInstance i : new CaravanRuns(caravanHome.home()).instances(r.runId())) {
            int item = Integer.parseInt(i.itemJson());
            assertThat(CaravanRuns.log(i)).as("log of item %d", item).isEqualTo("line of " + item + "\n");
            if (item % 7 == 0) {
                assertThat(i.state()).isEqualTo(TaskState.FAILED);
                assertThat(i.error()).contains("exit code 1");
            } else {
                assertThat(i.state()).isEqualTo(TaskState.SUCCEEDED);
            }
        }
        try (Stream<Path> left = Files.list(base)) {
            List<String> dirs = left.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .toList();
            assertThat(dirs)
                    .as("only failed jobs keep their directory")
                    .hasSize(failing)
                    .allSatisfy(d ->
                            assertThat(Integer.parseInt(d.split("\\.")[2]) % 7).isZero());
        }

        Map<String, Object> ssh = r.section("ssh", server.host() + ":" + server.port());
        assertThat(((Number) ssh.get("handshakes")).intValue()).isBetween(1, 2).isEqualTo(log.acceptedLogins());
        assertThat(log.maxStartupsDrops()).isZero();
        Map<String, Object> jobs = r.section("remote_jobs", server.host() + ":" + server.port() + ":" + base);
        long rounds = ((Number) jobs.get("rounds")).longValue();
        long polls = ((Number) jobs.get("poll_commands")).longValue();
        assertThat(((Number) jobs.get("jobs_submitted")).intValue()).isEqualTo(1000);
        // one poll command covers up to 500 jobs: two per round at most, and far fewer rounds than jobs
        assertThat(polls).isLessThanOrEqualTo(2 * rounds);
        assertThat(rounds).isLessThan(100);
        assertThat(((Number) ssh.get("channels_opened")).longValue())
                .as("every exec channel of the run")
                .isLessThan(150);
    }
}
