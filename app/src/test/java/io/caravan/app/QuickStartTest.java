package io.caravan.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;

import io.caravan.app.MainTest.Captured;
import io.caravan.core.storage.Database;
import io.caravan.core.storage.DatabaseConfig;
import io.caravan.core.storage.RunStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quick paths print what picocli's commands print, and leave every other form to picocli. */
class QuickStartTest {
    @TempDir
    Path home;

    @BeforeEach
    void home() {
        System.setProperty("caravan.home", home.toString());
    }

    @AfterEach
    void clear() {
        System.clearProperty("caravan.home");
    }

    @Test
    void validatePrintsAndExitsAsTheCommandDoes() throws Exception {
        Path bad = home.resolve("bad.yaml");
        Files.writeString(bad, "workflow: bad\ntasks:\n  a: { shell: echo, depends_on: [nope] }\n");
        String[] args = {"validate", "../examples/workflows/hello.yaml", bad.toString(), "nope.yaml"};

        Quick quick = quick(args);
        Captured picocli = MainTest.run(args);

        assertThat(quick.exit()).hasValue(2).hasValue(picocli.exitCode());
        assertThat(quick.out()).isEqualTo(picocli.out()).contains("hello.yaml: ok");
        assertThat(quick.err()).isEqualTo(picocli.err()).contains("bad.yaml:", "nope.yaml:1:1: cannot read");
    }

    @Test
    void runsListsWhatTheCommandListsOnceTheDatabaseExists() {
        assertThat(quick("runs").exit())
                .as("no database yet: the full open creates it")
                .isEmpty();
        try (Database db = Database.open(DatabaseConfig.embedded(home))) {
            new RunStore(db).createRun("alpha", "manual", "{}", null, "workflow: alpha", List.of("t"), Instant.now());
        }

        Quick quick = quick("runs");

        assertThat(quick.exit()).hasValue(0);
        assertThat(quick.out()).isEqualTo(MainTest.run("runs").out()).contains("alpha");
    }

    @Test
    void helpIsTheUsageAndAnyOptionGoesToPicocli() {
        assertThat(quick("--help").out()).isEqualTo(MainTest.run("--help").out());
        assertThat(quick().out()).isEqualTo(quick("-h").out());
        assertThat(quick("runs", "--limit", "3").exit()).isEmpty();
        assertThat(quick("validate", "--help").exit()).isEmpty();
        assertThat(quick("validate", "@args").exit()).isEmpty();
        assertThat(quick("validate").exit()).isEmpty();
        assertThat(quick("tasks", "x").exit()).isEmpty();
    }

    private record Quick(OptionalInt exit, String out, String err) {}

    private static Quick quick(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        OptionalInt exit = QuickStart.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Quick(exit, out.toString(), err.toString());
    }
}
