package io.caravan.app.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import io.caravan.app.fixtures.CaravanRuns;
import io.caravan.core.storage.TaskInstanceRecord;
import io.caravan.testkit.OpenSshServer;
import io.caravan.testkit.SlurmCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File staging on slurm_job: the same job directory on the login node, the job on a compute node (real Slurm). */
class SlurmStagingTest {
    private static SlurmCluster slurm;
    private static OpenSshServer login;

    @TempDir
    Path home;
    private Path base;

    @BeforeAll
    static void startCluster() {
        slurm = SlurmCluster.start();
        login = OpenSshServer.builder().extraConfig("SetEnv SLURM_CONF=" + slurm.conf()).start();
    }

    @AfterAll
    static void stopCluster() {
        if (login != null) {
            login.close();
        }
        if (slurm != null) {
            slurm.close();
        }
    }

    @BeforeEach
    void home() throws Exception {
        System.setProperty("caravan.home", home.toString());
        base = Files.createDirectories(slurm.workDir().resolve("jobs-" + System.nanoTime()));
    }

    @AfterEach
    void clear() {
        System.clearProperty("caravan.home");
    }

    @Test
    void aSlurmJobReadsItsStagedInputAndItsOutputComesBack() throws Exception {
        Files.writeString(home.resolve("input.txt"), "3\n1\n2\n");
        CaravanRuns.Result r = new CaravanRuns(home).run("slurm-staging", """
                workflow: slurm-staging
                connections:
                %s
                tasks:
                  sort:
                    target: login
                    slurm_job:
                      workdir_base: %s
                      poll_interval: 500ms
                      stage_in: [ { from: input.txt } ]
                      stage_out: [ { from: sorted.txt, to: out/sorted.txt } ]
                      script: sort -n input.txt > sorted.txt
                """.formatted(CaravanRuns.connection("login", login), base));

        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(home.resolve("out/sorted.txt")).hasContent("1\n2\n3");
        TaskInstanceRecord job = new CaravanRuns(home).instances(r.runId()).get(0);
        assertThat(CaravanRuns.log(job)).contains("[caravan] stage_in: 1 file, 6 B").contains("[caravan] stage_out: 1 file, 6 B");
    }
}
