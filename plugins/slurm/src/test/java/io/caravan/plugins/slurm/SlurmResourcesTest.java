package io.caravan.plugins.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.caravan.spi.JobResources;
import io.caravan.spi.JobSpec;
import io.caravan.spi.JobStatus;
import io.caravan.spi.posix.OwnerMarker;
import io.caravan.testkit.SlurmCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, acceptance 3 (the backend's half; {@code SlurmMemoryRetryTest} runs the retry through the engine) against
 * a real single-node Slurm that holds jobs to the memory they ask for.
 */
class SlurmResourcesTest {
    private static SlurmCluster slurm;
    private SlurmJobBackend backend;
    private Path base;

    @BeforeAll
    static void start() {
        slurm = SlurmCluster.startEnforcingMemory();
    }

    @AfterAll
    static void stop() {
        if (slurm != null) {
            slurm.close();
        }
    }

    @BeforeEach
    void backend() throws Exception {
        base = Files.createDirectories(slurm.workDir().resolve("jobs-" + System.nanoTime()));
        backend = new SlurmJobBackend(LoginShell.of(slurm), "login", base.toString());
    }

    @Test
    void scontrolShowsEachRequestedField() throws Exception {
        backend.submit(List.of(new JobSpec(
                "fields",
                "true",
                Map.of(),
                OwnerMarker.camel("test", "fields"),
                Map.of("sbatch_args", JobSpec.joinList(List.of("--comment=x"))),
                new JobResources(2, 256L << 20, 0, null, Duration.ofMinutes(5)))));
        JobStatus ended = awaitEnd("fields");

        String slurmId = Files.readString(base.resolve("fields/slurm")).split(" ")[0];
        String shown = slurm.output("scontrol", "show", "job", slurmId);
        System.out.printf("acceptance 3: scontrol show job %s:%n%s%n", slurmId, shown);
        assertThat(ended.state()).isEqualTo(JobStatus.JobState.EXITED);
        assertThat(shown)
                .contains("NumCPUs=2")
                .contains("CPUs/Task=2")
                .contains("MinMemoryNode=256M")
                .contains("TimeLimit=00:05:00")
                .contains("Comment=x");
    }

    @Test
    void aJobOverItsMemoryIsKilledAsOutOfMemoryAndMayBeRetried() throws Exception {
        backend.submit(List.of(new JobSpec(
                "hog",
                hog(200),
                Map.of(),
                OwnerMarker.camel("test", "hog"),
                Map.of(),
                new JobResources(0, 64L << 20, 0, null, null))));
        JobStatus ended = awaitEnd("hog");

        System.out.printf("acceptance 3: a job of mem 64M using 200M: %s, %s%n", ended.state(), ended.detail());
        assertThat(ended.state()).isEqualTo(JobStatus.JobState.LOST);
        assertThat(ended.detail()).contains("OUT_OF_MEMORY").contains("more memory than it asked for");
        assertThat(ended.retryable()).isTrue();
    }

    /** Holds {@code megabytes} of memory long enough for slurmd's once-a-second sampling to see it. */
    static String hog(int megabytes) {
        return "/usr/bin/python3 -c 'import time; b = bytearray(" + megabytes + " << 20); time.sleep(6)'";
    }

    private JobStatus awaitEnd(String id) throws InterruptedException {
        for (int i = 0; i < 1200; i++) {
            JobStatus s = backend.poll(List.of(id)).get(0);
            if (s.state() != JobStatus.JobState.RUNNING) {
                return s;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(id + " never ended");
    }
}
