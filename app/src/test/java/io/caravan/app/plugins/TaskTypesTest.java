package io.caravan.app.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.caravan.app.fixtures.CaravanRuns;
import io.caravan.app.session.DatabaseOptions;
import io.caravan.app.session.EngineSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * validate, trigger, run and the server read workflows with one registry of task types: the built-in ones,
 * the bundled plugins' (local_job) and those of --plugins DIR (the hello-plugin template's hello).
 */
class TaskTypesTest {
    private static final String WORKFLOW = """
            workflow: mixed
            tasks:
              greet:
                hello: { name: "{{ run.id }}" }
              local:
                depends_on: [greet]
                local_job: { script: echo local }
            """;

    @TempDir
    Path home;

    private Path plugins;
    private Path file;

    @BeforeEach
    void setUp() throws Exception {
        System.setProperty("caravan.home", home.toString());
        plugins = Files.createDirectories(home.resolve("my-plugins"));
        Files.copy(Path.of("target", "test-plugins", "hello-plugin.jar"), plugins.resolve("hello-plugin.jar"));
        file = Files.writeString(
                Files.createDirectories(home.resolve("workflows")).resolve("mixed.yaml"), WORKFLOW);
    }

    @AfterEach
    void clear() {
        System.clearProperty("caravan.home");
        System.clearProperty("caravan.plugins");
    }

    @Test
    void validateAcceptsBundledAndPluginTaskTypesAndOpensNoDatabase() {
        CaravanRuns.Result r = CaravanRuns.cli("validate", "--plugins", plugins.toString(), file.toString());

        assertThat(r.out()).isEqualTo(file + ": ok (workflow 'mixed', 2 tasks)\n");
        assertThat(r.exit()).isZero();
        assertThat(home.resolve("db")).as("validate needs no database").doesNotExist();
    }

    @Test
    void withoutThePluginValidateNamesTheUnknownTypeOnceAndBlamesNoDependent() {
        CaravanRuns.Result r = CaravanRuns.cli("validate", file.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out().lines())
                .singleElement()
                .asString()
                .startsWith(file + ":4:5: task 'greet' has no known type: 'hello' is none;")
                .contains("local_job")
                .contains("./caravan plugins")
                .doesNotContain("depends on");
    }

    @Test
    void validateTakesAnUndeclaredRemoteJobTargetForAStoredPoolAndSaysSo() throws Exception {
        Path pooled = Files.writeString(home.resolve("pooled.yaml"), """
                workflow: pooled
                tasks:
                  job: { target: gpu, remote_job: { script: "true" } }
                """);

        CaravanRuns.Result r = CaravanRuns.cli("validate", pooled.toString());

        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out())
                .contains(pooled + ": ok (workflow 'pooled', 1 tasks)")
                .contains(pooled
                        + ": note: gpu not declared in the file: taken for pool added with `caravan pool add-ssh`,"
                        + " checked when the workflow runs");
        assertThat(home.resolve("db")).doesNotExist();
    }

    @Test
    void triggerFindsAWorkflowOfPluginTaskTypes() {
        CaravanRuns.Result r = CaravanRuns.cli(
                "trigger",
                "--plugins",
                plugins.toString(),
                "--workflows",
                home.resolve("workflows").toString(),
                "mixed");

        assertThat(r.out()).startsWith("queued run ").contains(" of mixed;");
        assertThat(r.exit()).isZero();
    }

    @Test
    void triggerSaysWhichFilesItCouldNotRead() {
        CaravanRuns.Result r = CaravanRuns.cli(
                "trigger", "--workflows", home.resolve("workflows").toString(), "mixed");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out())
                .contains("no workflow 'mixed' in " + home.resolve("workflows"))
                .contains("invalid, not read: mixed.yaml; see ./caravan validate");
    }

    @Test
    void theEngineOfRunAndTheServerReadsWithTheSameRegistry() throws Exception {
        System.setProperty("caravan.plugins", plugins.toString());
        try (EngineSession session = new EngineSession(home, new DatabaseOptions())) {
            assertThat(session.taskTypes().kinds().keys())
                    .containsExactlyElementsOf(TaskTypes.load(home).kinds().keys())
                    .contains("ssh", "shell", "camel", "remote_job", "local_job", "slurm_job", "hello");
            assertThat(session.loader().parse(file, WORKFLOW, Map.of()).tasks()).containsOnlyKeys("greet", "local");
        }
    }
}
