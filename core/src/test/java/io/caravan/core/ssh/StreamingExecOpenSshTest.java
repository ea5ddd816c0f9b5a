package io.caravan.core.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.caravan.testkit.OpenSshExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Streaming exec hands output over while the command still runs. */
class StreamingExecOpenSshTest {
    @RegisterExtension
    static final OpenSshExtension SSHD = OpenSshExtension.defaults();

    @TempDir
    Path dir;

    @Test
    void theFirstLineArrivesBeforeTheCommandEnds() {
        // the command waits for a file that only the stream's reader creates, on seeing the first line:
        // without incremental delivery it would time out instead
        Path flag = dir.resolve("seen-first-line");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        OutputStream reader = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) {
                stdout.write(b, off, len);
                if (stdout.toString(StandardCharsets.UTF_8).contains("first\n") && !Files.exists(flag)) {
                    try {
                        Files.createFile(flag);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        };
        try (SshTransport transport = SshTransport.start(SshSettings.defaults())) {
            int code = transport.stream(
                    Targets.of(SSHD.server()),
                    "echo first; while [ ! -f '" + flag
                            + "' ]; do sleep 0.02; done; echo second; echo oops >&2; exit 4",
                    reader,
                    OutputStream.nullOutputStream(),
                    ExecOptions.timeout(Duration.ofSeconds(20)));

            assertThat(code).isEqualTo(4);
            assertThat(stdout.toString(StandardCharsets.UTF_8)).isEqualTo("first\nsecond\n");
        }
    }
}
