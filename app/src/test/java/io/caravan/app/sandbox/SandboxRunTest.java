package io.caravan.app.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import io.caravan.app.fixtures.CaravanRuns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example runs as written with {@code caravan run --sandbox FILE}, called as a user calls the CLI (in
 * process): its SSH hosts (127.0.0.1:22 with a user and key this machine does not have) become the embedded
 * loopback host. No example needs Slurm today; a Slurm task is refused in the sandbox, before anything runs.
 */
class SandboxRunTest {
    @TempDir
    Path home;

    @BeforeEach
    void setUp() {
        System.setProperty("caravan.home", home.toString());
    }

    @AfterEach
    void clear() {
        System.clearProperty("caravan.home");
    }

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
        assertThat(Path.of(".caravan")).as("local jobs kept their directories in the scratch area").doesNotExist();
    }

    @Test
    void theLocalExampleRunsAsWrittenWithoutTheSandboxToo() throws Exception {
        Path jobs = Path.of(".caravan");
        boolean before = Files.exists(jobs);
        try {
            CaravanRuns.Result r = CaravanRuns.cli("run", "../examples/workflows/local.yaml", "--set", "parts=3");

            assertThat(r.exit()).as(r.out()).isZero();
            assertThat(r.out()).doesNotContain("SANDBOX").contains("3 tasks (3 succeeded), 5 items (5 succeeded)");
            CaravanRuns.Result total = CaravanRuns.cli("logs", r.out().replaceAll("(?s).*run (\\S+) succeeded in .*", "$1"), "total");
            assertThat(total.out()).contains("9 words in 3 parts");
        } finally {
            if (!before && Files.exists(jobs)) {
                try (Stream<Path> all = Files.walk(jobs)) {
                    all.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(java.io.File::delete);
                }
            }
        }
    }

    @Test
    void aSlurmTaskIsRefusedInTheSandboxWithOneLineNamingFileAndTaskAndNothingRuns() throws Exception {
        Path marker = home.resolve("ran");
        Path file = Files.writeString(home.resolve("cluster.yaml"), """
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
        assertThat(r.out().strip()).isEqualTo(file + ":7: task 'train' (slurm_job) needs its host's batch scheduler (Slurm):"
                + " --sandbox has only a plain SSH host; run it without --sandbox, on a real cluster");
        assertThat(marker).as("nothing ran").doesNotExist();
        assertThat(CaravanRuns.cli("runs").out()).doesNotContain("cluster");
    }

    @Test
    void aPoolOfTheDatabaseIsServedByTheSandboxHostToo() throws Exception {
        Path key = Files.writeString(home.resolve("not-a-key"), "the sandbox never reads it");
        assertThat(CaravanRuns.cli("pool", "add-ssh", "gpu", "nobody@127.0.0.1:22", "-i", key.toString()).exit()).isZero();
        Path file = Files.writeString(home.resolve("pooled.yaml"), """
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
        try (Sandbox box = Sandbox.start(); org.apache.camel.CamelContext camel = new org.apache.camel.impl.DefaultCamelContext()) {
            box.install(camel);
            camel.start();
            String reply = camel.createProducerTemplate().requestBody("sshx:batch@192.0.2.1:22?certResource=file:/nonexistent/key"
                    + "&knownHostsResource=file:/nonexistent/known_hosts&password=RAW(not-used)", "echo \"sandboxed in $PWD\"", String.class);

            assertThat(reply).startsWith("sandboxed in ").endsWith("/home\n").contains("caravan-embedded-ssh-");
        }
    }
}
