package io.caravan.plugins.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.caravan.spi.CleanupResult;
import io.caravan.spi.JobSpec;
import io.caravan.spi.JobStatus;
import io.caravan.spi.posix.OwnerMarker;
import io.caravan.spi.posix.PosixShellJobBackend;
import io.caravan.spi.posix.ShellRunner;
import io.caravan.testkit.SlurmCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Issue 14, acceptance 7 (first half) against a real single-node Slurm; this machine is the login node. */
class SlurmCleanupTest {
    private static SlurmCluster slurm;

    @BeforeAll
    static void start() {
        slurm = SlurmCluster.start();
    }

    @AfterAll
    static void stop() {
        if (slurm != null) {
            slurm.close();
        }
    }

    @Test
    void aRunningJobsDirectoryIsKeptWhateverKill0SaysOnTheLoginNode() throws Exception {
        Path base = Files.createDirectories(slurm.workDir().resolve("jobs-" + System.nanoTime()));
        SlurmJobBackend backend = new SlurmJobBackend(localShell(), "login", base.toString());
        // a marker the sweep recognises as a Caravan job's, so that only liveness can keep the directory
        backend.submit(List.of(new JobSpec("kept", "sleep 60", Map.of(), OwnerMarker.camel("test", "kept"))));
        awaitRunning(backend, "kept");
        // as on a real cluster, where the job runs on a compute node: its pid means nothing on the login node
        Files.writeString(base.resolve("kept/pgid"), "2147483 ok\n");

        CleanupResult result = backend.cleanup(List.of("kept")).get(0);

        System.out.printf(
                "acceptance 7: cleanup of a running Slurm job whose pid is not on the login node: removed=%s (%s)%n",
                result.removed(), result.reason());
        assertThat(result.removed()).isFalse();
        assertThat(result.reason()).isEqualTo("running");
        assertThat(base.resolve("kept/script")).exists();

        // the sweep (and a debt's retry) go by the POSIX protocol: it asks Slurm too
        PosixShellJobBackend files = new PosixShellJobBackend(localShell(), "login", base.toString());
        new ProcessBuilder("touch", "-d", "2 hours ago", base.resolve("kept").toString())
                .start()
                .waitFor();
        List<String> swept = files.sweep(Duration.ofHours(1), false);
        CleanupResult debt = files.cleanup(List.of("kept")).get(0);
        System.out.printf(
                "acceptance 7: sweep of the running Slurm job's directory: %s; a debt's retry: %s%n",
                swept, debt.reason());
        assertThat(swept).containsExactly("kept running");
        assertThat(debt.removed()).isFalse();
        assertThat(base.resolve("kept/script")).exists();
        backend.cancel(List.of("kept"), true);
    }

    private static void awaitRunning(SlurmJobBackend backend, String id) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            JobStatus s = backend.poll(List.of(id)).get(0);
            if (s.state() == JobStatus.JobState.RUNNING && Files.exists(slurm.workDir())) {
                Thread.sleep(1000); // past "being submitted": Slurm has it
                if (backend.poll(List.of(id)).get(0).state() == JobStatus.JobState.RUNNING) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(id + " never ran");
    }

    private static ShellRunner localShell() {
        return LoginShell.of(slurm);
    }
}
