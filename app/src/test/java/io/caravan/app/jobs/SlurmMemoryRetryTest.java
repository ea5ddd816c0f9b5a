package io.caravan.app.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.caravan.app.fixtures.CaravanRuns;
import io.caravan.app.fixtures.SlurmLogin;
import io.caravan.app.fixtures.TempCaravanHome;
import io.caravan.app.session.DatabaseOptions;
import io.caravan.core.runs.TaskState;
import io.caravan.core.storage.Attempt;
import io.caravan.core.storage.Database;
import io.caravan.core.storage.RunQueries;
import io.caravan.core.storage.TaskInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 18, acceptance 3 through the engine: a slurm_job that Slurm kills for its memory is retried with the next
 * {@code mem:} of its list, on a real single-node Slurm that holds jobs to their memory, over a real sshd as the login
 * node; and a bad {@code resources:} or {@code sbatch_args} fails validation at its file:line:column.
 */
class SlurmMemoryRetryTest {
    @RegisterExtension
    static final SlurmLogin CLUSTER = SlurmLogin.enforcingMemory();

    @RegisterExtension
    final TempCaravanHome caravanHome = new TempCaravanHome();

    @Test
    void aJobKilledForItsMemoryIsRetriedWithTheLargerMemAndSucceeds() throws Exception {
        Path base = Files.createDirectories(CLUSTER.slurm().workDir().resolve("jobs-" + System.nanoTime()));
        CaravanRuns.Result r = new CaravanRuns(caravanHome.home())
                .run("memory", """
                workflow: slurm-memory
                connections:
                %s
                tasks:
                  grow:
                    target: login
                    retries: 1
                    retry_delay: 1s
                    resources: { mem: [64M, 400M], time: 5m }
                    slurm_job:
                      workdir_base: %s
                      poll_interval: 500ms
                      script: |
                        echo "attempt $CARAVAN_ATTEMPT asked for $CARAVAN_MEM_MB MB"
                        /usr/bin/python3 -c 'import time; b = bytearray(200 << 20); time.sleep(6)'
                """.formatted(CaravanRuns.connection("login", CLUSTER.login()), base));

        TaskInstance grow = new CaravanRuns(caravanHome.home()).instance(r.runId(), "grow", 0);
        List<Attempt> attempts;
        try (Database db = Database.open(new DatabaseOptions().config(caravanHome.home()))) {
            attempts = new RunQueries(db).attempts(grow.id());
        }
        System.out.printf(
                "acceptance 3: mem [64M, 400M], a job holding 200M: %s after %d attempts; attempt 1: %s %s%n",
                grow.state(),
                grow.attempt(),
                attempts.get(0).state(),
                attempts.get(0).error());
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(grow.state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(grow.attempt()).as("the first attempt, of 64M, was killed").isEqualTo(2);
        assertThat(CaravanRuns.log(grow)).startsWith("attempt 2 asked for 400 MB");
        assertThat(attempts.get(0).error())
                .as("the state reason of the first attempt")
                .contains("OUT_OF_MEMORY")
                .contains("more memory than it asked for");
    }

    @Test
    void aBadResourceOrARefusedSbatchArgumentFailsValidationAtItsPlace() throws Exception {
        Path file = Files.writeString(caravanHome.home().resolve("bad.yaml"), """
                workflow: bad
                connections: { login: { host: 127.0.0.1, user: u } }
                tasks:
                  a:
                    target: login
                    resources: { mem: 4X, cpus: 0 }
                    slurm_job:
                      script: "true"
                      sbatch_args: ["--comment=x", "--array=0-9"]
                """);

        CaravanRuns.Result r = CaravanRuns.cli("validate", file.toString());

        assertThat(r.exit()).as(r.out()).isEqualTo(2);
        assertThat(r.out())
                .contains(file + ":6:23: 'mem' in resources of task 'a': bad memory size '4X'")
                .contains(file + ":6:33: 'cpus' in resources of task 'a' must be a whole number >= 1, got '0'")
                .contains(file
                        + ":9:36: task 'a': sbatch_args: '--array=0-9' is refused: Caravan sets it: a fan-out is one"
                        + " job array (--array)");
    }
}
