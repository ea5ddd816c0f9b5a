package io.caravan.spi.posix;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.caravan.spi.LogRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job protocol's scripts as this machine's {@code /bin/sh} (dash on Debian) runs them. */
class PosixJobScriptsTest {
    @TempDir
    Path base;

    private record Ran(int exit, String out, String err) {}

    @Test
    void aPollOfJobsWithoutTheirExitFilesYetSaysSoOnStandardOutputAndNothingOnStandardError() throws Exception {
        // j1 starting (script, no pgid yet), j2 ended (its group, beyond any pid_max, gone; exit 3), j3 never made
        Files.createDirectories(base.resolve("j1"));
        Files.writeString(base.resolve("j1/script"), "true");
        Files.createDirectories(base.resolve("j2"));
        Files.writeString(base.resolve("j2/pgid"), "-99999999 ok\n");
        Files.writeString(base.resolve("j2/exit"), "3 ok\n");
        Files.writeString(base.resolve("j2/log"), "done\n");

        Ran poll = sh(PosixJobScripts.poll(base.toString(), List.of("j1", "j2", "j3")));

        assertThat(poll.exit()).isZero();
        assertThat(poll.out()).startsWith("j1 - 1\nj2 3 0\nj3 M\n@@sizes\n").contains("5 j2/log");
        assertThat(poll.err())
                .as("a missing pgid, exit or slurm file is the usual case, not an error to ship back each round")
                .isEmpty();
    }

    @Test
    void readingALogThatIsNotThereYetAnnouncesNoBytesAndPrintsNoError() throws Exception {
        Files.createDirectories(base.resolve("j1"));

        Ran read = sh(PosixJobScripts.readLogs(base.toString(), List.of(new LogRange("j1", 4, 10)), r -> false));

        assertThat(read.exit()).isZero();
        assertThat(read.out()).isEqualTo("@@j1 0\n");
        assertThat(read.err()).isEmpty();
    }

    /** Standard error goes to a file: read from a pipe after standard output, a full one would block the script. */
    private static Ran sh(String script) throws IOException, InterruptedException {
        Path err = Files.createTempFile("posix-job-scripts", ".err");
        try {
            Process p = new ProcessBuilder("sh", "-c", script)
                    .redirectError(err.toFile())
                    .start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            return new Ran(p.exitValue(), new String(out, StandardCharsets.UTF_8), Files.readString(err));
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
