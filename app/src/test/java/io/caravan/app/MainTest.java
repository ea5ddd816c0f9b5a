package io.caravan.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI as a user drives it, in-process. */
class MainTest {

    @Test
    void theDemoRunsItsWorkflowOfRemoteJobsAndShowsThePictureAndTheFigures(@TempDir Path home) {
        System.setProperty("caravan.home", home.toString());
        try {
            Captured run = run("demo");

            assertThat(run.exitCode()).as(run.out()).isZero();
            assertThat(run.out())
                    .contains("@@@@@@@@@@")
                    .containsPattern("run \\S+ succeeded in [0-9dhms. ]+: "
                            + "3 tasks \\(3 succeeded\\), 242 items \\(242 succeeded\\)");
            assertThat(run.out())
                    .containsPattern(
                            "SSH 127.0.0.1:\\d+: [12] handshakes?, \\d+ exec channels.* \\(the embedded host counted (1 login|2 logins)\\)")
                    .contains("cleanup debts: 0")
                    .contains("./caravan tasks ");
            assertThat(Path.of(".caravan"))
                    .as("nothing of the demo host's left in the working directory")
                    .doesNotExist();
        } finally {
            System.clearProperty("caravan.home");
        }
    }

    @Test
    void theQuickUsageTextIsWhatPicocliRenders() {
        StringWriter rendered = new StringWriter();
        Main.commandLine().usage(new PrintWriter(rendered), CommandLine.Help.Ansi.OFF);
        assertThat(QuickStart.usage())
                .as("app/src/main/resources/io/caravan/app/" + QuickStart.USAGE
                        + " is stale after a change to the commands: replace it with what picocli renders")
                .isEqualTo(rendered.toString());
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] args : new String[][] {
            {"--help"},
            {"demo", "--help"},
            {"validate", "--help"},
            {"bench", "exec", "--help"},
            {"cleanup", "sweep", "--help"},
            {"plugins", "--help"}
        }) {
            Captured run = run(args);
            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).contains("Usage: caravan");
        }
    }

    @Test
    void everyArgumentOfLogsIsExplainedInItsHelp() {
        Captured help = run("logs", "--help");
        assertThat(help.out())
                .containsPattern("RUN\\s+Run id \\(see ./caravan runs\\)")
                .containsPattern("TASK\\s+Task id \\(see ./caravan tasks RUN\\)");
    }

    @Test
    void anUnknownOptionExitsTwoAndSaysWhich() {
        Captured run = run("demo", "--bogus");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown option: '--bogus'");
    }

    @Test
    void validateAcceptsTheExamplesAndRejectsABadFileWithFileLineColumnAndExitTwo() {
        Captured good = run("validate", "../examples/workflows/hello.yaml", "../examples/workflows/demo.yaml");
        assertThat(good.exitCode()).isZero();
        assertThat(good.out())
                .contains("hello.yaml: ok (workflow 'hello', 3 tasks)")
                .contains("demo.yaml: ok (workflow 'demo', 3 tasks)");

        String bad = "../core/src/test/resources/workflows/bad/cycle.yaml";
        Captured run = run("validate", "../examples/workflows/hello.yaml", bad);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(bad + ":4:3: dependency cycle: a -> c -> b -> a");

        Captured missing = run("validate", "nope.yaml");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.yaml:1:1: cannot read: no such file");

        Captured directory = run("validate", "../examples/workflows");
        assertThat(directory.exitCode()).isEqualTo(2);
        assertThat(directory.err())
                .contains("../examples/workflows:1:1: cannot read: a directory: give its workflow files "
                        + "(../examples/workflows/*.yaml)");
    }

    @Test
    void aCommandThatCannotStartSaysWhyInOneLineWithoutAStackTrace(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "");
        System.setProperty("caravan.home", file.toString());
        try {
            Captured home = run("runs");
            assertThat(home.exitCode()).isEqualTo(2);
            assertThat(home.err())
                    .contains("caravan runs: cannot create CARAVAN_HOME " + file + ": a file is in the way")
                    .doesNotContain("\tat ")
                    .doesNotContain("Exception");
        } finally {
            System.clearProperty("caravan.home");
        }
        System.setProperty("caravan.home", dir.toString());
        try {
            Captured db = run("runs", "--db", "jdbc:nosuchdriver://db.example/x?user=u&password=hunter2");
            assertThat(db.exitCode()).isEqualTo(2);
            assertThat(db.err())
                    .startsWith("caravan runs: ")
                    .contains("jdbc:nosuchdriver")
                    .contains("password=***: ")
                    .doesNotContain("hunter2")
                    .doesNotContain("\tat ");
        } finally {
            System.clearProperty("caravan.home");
        }
    }

    record Captured(int exitCode, String out, String err) {}

    static Captured run(String... args) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            // the demo and run draw progress on System.err and print their summary on System.out
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            CommandLine cli = Main.commandLine();
            cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
            cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
            int code = cli.execute(args);
            return new Captured(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }
}
