package io.caravan.app.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.caravan.app.fixtures.CaravanRuns;
import io.caravan.app.fixtures.TempCaravanHome;
import io.caravan.app.server.CaravanServer;
import io.caravan.app.session.DatabaseOptions;
import io.caravan.core.runs.RunState;
import io.caravan.core.storage.Database;
import io.caravan.core.storage.RunStore;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example runs as written with {@code caravan run --sandbox FILE}, called as a user calls the CLI (in
 * process): its SSH hosts (127.0.0.1:22 with a user and key this machine does not have) become the embedded
 * loopback host. No example needs Slurm today; a Slurm task is refused in the sandbox, before anything runs.
 */
class SandboxRunTest {
    @RegisterExtension
    final TempCaravanHome caravanHome = new TempCaravanHome();

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("../examples/workflows"))) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everyExampleRunsInTheSandbox(Path example) {
        CaravanRuns.Result r = CaravanRuns.cli("run", "--sandbox", example.toString());

        assertThat(r.out()).as("it says it is a sandbox").contains("SANDBOX: ").contains("not a security boundary");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).containsPattern("run \\S+ succeeded in ");
        assertThat(Path.of(".caravan"))
                .as("local jobs kept their directories in the scratch area")
                .doesNotExist();
        removeStagedResults(r.out());
    }

    /** staging.yaml fetches its results to /tmp/caravan-staging-RUN/, as a user would want them: not left by tests. */
    private static void removeStagedResults(String out) {
        Matcher run = Pattern.compile("run (\\S+) succeeded in ").matcher(out);
        Path results = run.find() ? Path.of("/tmp/caravan-staging-" + run.group(1)) : null;
        if (results != null && Files.isDirectory(results)) {
            try (Stream<Path> paths = Files.walk(results)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void theLocalExampleRunsAsWrittenWithoutTheSandboxToo() throws Exception {
        Path jobs = Path.of(".caravan");
        boolean before = Files.exists(jobs);
        try {
            CaravanRuns.Result r = CaravanRuns.cli("run", "../examples/workflows/local.yaml", "--set", "parts=3");

            assertThat(r.exit()).as(r.out()).isZero();
            assertThat(r.out()).doesNotContain("SANDBOX").contains("3 tasks (3 succeeded), 5 items (5 succeeded)");
            CaravanRuns.Result total =
                    CaravanRuns.cli("logs", r.out().replaceAll("(?s).*run (\\S+) succeeded in .*", "$1"), "total");
            assertThat(total.out()).contains("9 words in 3 parts");
        } finally {
            if (!before && Files.exists(jobs)) {
                try (Stream<Path> all = Files.walk(jobs)) {
                    all.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
                }
            }
        }
    }

    @Test
    void aSlurmTaskIsRefusedInTheSandboxWithOneLineNamingFileAndTaskAndNothingRuns() throws Exception {
        Path marker = caravanHome.home().resolve("ran");
        Path file = Files.writeString(caravanHome.home().resolve("cluster.yaml"), """
                workflow: cluster
                connections:
                  login: { host: 127.0.0.1, port: 22, user: hpc }
                tasks:
                  before:
                    shell: touch %s
                  train:
                    depends_on: [before]
                    target: login
                    slurm_job: { script: echo train }
                """.formatted(marker));

        CaravanRuns.Result r = CaravanRuns.cli("run", "--sandbox", file.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out().strip())
                .isEqualTo(file + ":7: task 'train' (slurm_job) needs its host's batch scheduler (Slurm):"
                        + " --sandbox has only a plain SSH host; run it without --sandbox, on a real cluster");
        assertThat(marker).as("nothing ran").doesNotExist();
        assertThat(CaravanRuns.cli("runs").out()).doesNotContain("cluster");
    }

    @Test
    void aPoolOfTheDatabaseIsServedByTheSandboxHostToo() throws Exception {
        Path key = Files.writeString(caravanHome.home().resolve("not-a-key"), "the sandbox never reads it");
        assertThat(CaravanRuns.cli("pool", "add-ssh", "gpu", "nobody@127.0.0.1:22", "-i", key.toString())
                        .exit())
                .isZero();
        Path file = Files.writeString(caravanHome.home().resolve("pooled.yaml"), """
                workflow: pooled
                tasks:
                  job:
                    target: gpu
                    remote_job: { script: echo "on $(hostname)", poll_interval: 200ms }
                """);

        CaravanRuns.Result r = CaravanRuns.cli("run", "--sandbox", file.toString());

        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("1 task (1 succeeded)");
    }

    @Test
    void aResumedRunIsNotSandboxed() {
        CaravanRuns.Result r = CaravanRuns.cli("run", "--sandbox", "--resume", "some-run");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).contains("--sandbox runs a workflow FILE");
    }

    @Test
    void anSshxEndpointReachesTheSandboxHostWhateverHostUserAndKeyItsUriNames() throws Exception {
        try (Sandbox box = Sandbox.start();
                CamelContext camel = new DefaultCamelContext()) {
            box.install(camel);
            camel.start();
            String reply = camel.createProducerTemplate()
                    .requestBody(
                            "sshx:batch@192.0.2.1:22?certResource=file:/nonexistent/key"
                                    + "&knownHostsResource=file:/nonexistent/known_hosts&password=RAW(not-used)",
                            "echo \"sandboxed in $PWD\"",
                            String.class);

            assertThat(reply).startsWith("sandboxed in ").endsWith("/home\n").contains("caravan-embedded-ssh-");
        }
    }

    @Test
    void aSandboxRunLeftUnfinishedIsContinuedByNoOtherProcessAgainstTheRealHosts() throws Exception {
        Path marker = caravanHome.home().resolve("ran-on-the-real-host");
        String yaml = """
                workflow: cut
                tasks:
                  step: { shell: touch %s }
                """.formatted(marker);
        String runId;
        // what a sandbox run killed before it began leaves: an unfinished run whose stored workflow names the real
        // hosts
        try (Database db = Database.open(new DatabaseOptions().config(caravanHome.home()))) {
            runId = new RunStore(db)
                    .createRun("cut", Sandbox.TRIGGER, "{}", "cut.yaml", yaml, List.of("step"), Instant.now())
                    .id();
        }

        CaravanRuns.Result resume = CaravanRuns.cli("run", "--resume", runId);
        assertThat(resume.exit()).isEqualTo(2);
        assertThat(resume.out().strip())
                .isEqualTo("run " + runId + " ran on an embedded host (sandbox) that is gone:"
                        + " start it again with ./caravan run --sandbox cut.yaml");

        CaravanServer.Settings settings = new CaravanServer.Settings(
                caravanHome.home(),
                new DatabaseOptions(),
                Files.createDirectories(caravanHome.home().resolve("workflows")),
                caravanHome.home().resolve("routes"),
                Duration.ofSeconds(60));
        try (CaravanServer server = CaravanServer.start(settings)) {
            assertThat(server.resumedRuns()).isZero();
            Thread.sleep(2500); // the server joins other processes' unfinished runs every second
            assertThat(server.session().store().run(runId).orElseThrow().state())
                    .isEqualTo(RunState.QUEUED);
        }
        assertThat(marker).doesNotExist();
    }
}
