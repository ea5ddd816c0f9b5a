package io.caravan.app.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import io.caravan.app.fixtures.CaravanRuns;
import io.caravan.app.fixtures.TempCaravanHome;
import io.caravan.core.runs.TaskState;
import io.caravan.core.storage.TaskInstance;
import io.caravan.testkit.OpenSshExtension;
import io.caravan.testkit.OpenSshServer;
import io.caravan.testkit.SshdLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 14, acceptance 4: fatal SSH failures under a 50-job {@code remote_job} fan-out with {@code retries: 2},
 * through {@code caravan run} against real sshd. Fatal is not retried by the transport, the job supervisor or the
 * task's retries, and the host is not tried again during the fatal hold. Connections are counted in sshd's log.
 */
class FatalSshFailuresOpenSshTest {
    @RegisterExtension
    static final OpenSshExtension SSHD = OpenSshExtension.defaults();

    private static final int JOBS = 50;

    @RegisterExtension
    final TempCaravanHome caravan = new TempCaravanHome();

    private final OpenSshServer server = SSHD.server();

    @Test
    void aWrongKeyFailsFiftyJobsOnAtMostTwoConnectionsNamingKeyAndHostWithoutRetrying() throws Exception {
        Path key = server.unauthorizedKey();
        Outcome o = fanOut("wrong-key", key, server.knownHosts());

        assertThat(o.connections).as(o.sshdLog).isBetween(1, 2);
        assertThat(o.logins).isZero();
        o.assertEveryJobFailedOnce(key.toString(), server.host() + ":" + server.port(), "authentication failed");
    }

    @Test
    void aWrongKeyFailsFiftySshTasksOnOneConnectionWithoutRetrying() throws Exception {
        Path key = server.unauthorizedKey();
        Outcome o = fanOut("wrong-key-ssh", key, server.knownHosts(), "ssh: echo {{ item }}");

        assertThat(o.connections).as(o.sshdLog).isBetween(1, 2);
        o.assertEveryJobFailedOnce(key.toString(), server.host() + ":" + server.port(), "authentication failed");
    }

    @Test
    void anUnknownHostKeyLogsInNowhereAndSaysHostKey() throws Exception {
        Path empty = Files.createFile(caravan.home().resolve("empty_known_hosts"));
        Outcome o = fanOut("unknown-host-key", server.clientKey(), empty);

        assertThat(o.connections).as(o.sshdLog).isBetween(1, 2);
        assertThat(o.logins).isZero();
        o.assertEveryJobFailedOnce("host key", server.host() + ":" + server.port(), empty.toString());
    }

    @Test
    void aMissingKeyFileMakesNoConnectionAndOneLineOfError() throws Exception {
        Path missing = caravan.home().resolve("no-such-key");
        Outcome o = fanOut("missing-key", missing, server.knownHosts());

        assertThat(o.connections).as(o.sshdLog).isZero();
        o.assertEveryJobFailedOnce(missing.toString(), server.host() + ":" + server.port(), "no such file");
        for (TaskInstance i : o.instances) {
            assertThat(i.error()).doesNotContain("\n").doesNotContain("Exception");
        }
    }

    /** What a run of the fan-out did: its result, its instances and sshd's figures. */
    private record Outcome(
            CaravanRuns.Result run, List<TaskInstance> instances, int connections, int logins, String sshdLog) {
        void assertEveryJobFailedOnce(String... mentions) {
            assertThat(run.exit()).as(run.out()).isEqualTo(1);
            assertThat(run.tasks()).containsEntry("failed", JOBS);
            assertThat(instances).hasSize(JOBS).allSatisfy(i -> {
                assertThat(i.state()).isEqualTo(TaskState.FAILED);
                assertThat(i.attempt())
                        .as("a fatal error is not a task failure to retry")
                        .isEqualTo(1);
                assertThat(i.error()).contains(mentions);
            });
        }
    }

    private Outcome fanOut(String name, Path identity, Path knownHosts) throws Exception {
        Path base = Files.createDirectories(server.workDir().resolve("jobs-" + name));
        return fanOut(name, identity, knownHosts, """
                remote_job:
                  script: 'echo "$ITEM"'
                  workdir_base: %s""".formatted(base));
    }

    private Outcome fanOut(String name, Path identity, Path knownHosts, String body) throws Exception {
        SshdLog log = server.log().since(server.log().mark());
        CaravanRuns runs = new CaravanRuns(caravan.home());
        long start = System.nanoTime();
        CaravanRuns.Result r = runs.run(name, """
                workflow: fatal-%s
                connections:
                  rig: { host: %s, port: %d, user: %s, identity: %s, known_hosts: %s }
                defaults: { target: rig }
                tasks:
                  shard:
                    expand: { range: %d }
                    max_active: %d
                    retries: 2
                    retry_delay: 100ms
                %s
                """.formatted(
                        name,
                        server.host(),
                        server.port(),
                        server.user(),
                        identity,
                        knownHosts,
                        JOBS,
                        JOBS,
                        body.indent(4).stripTrailing()));
        double seconds = (System.nanoTime() - start) / 1e9;
        List<TaskInstance> instances = runs.instances(r.runId());
        String first = instances.isEmpty() ? "" : instances.get(0).error();
        // from the first attempt's start to the last failure: the run itself, without the CLI's database start-up
        double failedWithin = instances.isEmpty()
                ? 0
                : Duration.between(
                                        instances.stream()
                                                .map(TaskInstance::startedAt)
                                                .filter(Objects::nonNull)
                                                .min(Instant::compareTo)
                                                .orElseThrow(),
                                        instances.stream()
                                                .map(TaskInstance::endedAt)
                                                .filter(Objects::nonNull)
                                                .max(Instant::compareTo)
                                                .orElseThrow())
                                .toMillis()
                        / 1e3;
        System.out.printf(
                "issue 14 acceptance 4, %s: %d jobs, retries: 2 -> exit %d; all failed %.1f s after the first"
                        + " attempt started (caravan run: %.1f s wall, cold JVM included); sshd: %d connection(s), %d login(s);"
                        + " error: %s%n",
                name, JOBS, r.exit(), failedWithin, seconds, log.connections(), log.acceptedLogins(), first);
        return new Outcome(r, instances, log.connections(), log.acceptedLogins(), String.join("\n", log.lines()));
    }
}
