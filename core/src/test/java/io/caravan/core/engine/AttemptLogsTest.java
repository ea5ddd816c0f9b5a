package io.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttemptLogsTest {
    @TempDir
    Path home;

    @Test
    void aRunningAttemptsLogIsFoundWhereTheEngineWritesIt() throws Exception {
        Path logs = AttemptLogs.directory(home);
        Path written = Files.createDirectories(logs.resolve("r1").resolve("t")).resolve("3.2.log");
        Files.writeString(written, "half way\n");

        assertThat(AttemptLogs.find(logs, "r1", "t", 3, 2, null)).isEqualTo(written);
        assertThat(AttemptLogs.find(logs, "r1", "t", 3, 2, "/elsewhere/3.2.log"))
                .isEqualTo(written);
    }

    @Test
    void anEndedAttemptOfAnotherEnginesHomeIsFoundWhereItsEndRecordedIt() throws Exception {
        Path other = Files.writeString(home.resolve("other.log"), "done\n");

        assertThat(AttemptLogs.find(AttemptLogs.directory(home), "r1", "t", 0, 1, other.toString()))
                .isEqualTo(other);
    }

    @Test
    void withNoLogYetItSaysWhereItIsExpected() {
        Path logs = AttemptLogs.directory(home);

        assertThat(AttemptLogs.find(logs, "r1", "t", 0, 1, null))
                .isEqualTo(logs.resolve("r1/t/0.1.log"))
                .doesNotExist();
        assertThat(AttemptLogs.find(logs, "r1", "t", 0, 1, "/gone/0.1.log")).isEqualTo(Path.of("/gone/0.1.log"));
    }
}
