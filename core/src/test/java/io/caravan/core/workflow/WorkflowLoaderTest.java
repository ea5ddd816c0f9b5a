package io.caravan.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.caravan.core.ssh.HostKeyPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class WorkflowLoaderTest {
    private static final Path HELLO = Path.of("../examples/workflows/hello.yaml");
    private final WorkflowLoader loader = new WorkflowLoader(TaskKinds.builtIn());

    /** The examples may use the bundled local plugin's type too, registered as the app registers it. */
    private final WorkflowLoader withLocalJobs =
            new WorkflowLoader(TaskKinds.builtIn().register(RemoteJobKind.jobKind("local_job", Set.of(), false)));

    static Stream<Path> examples() throws IOException {
        return Files.list(Path.of("../examples/workflows"))
                .filter(p -> p.toString().endsWith(".yaml"))
                .sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everyExampleWorkflowIsValid(Path example) throws Exception {
        assertThat(withLocalJobs.load(example).tasks()).isNotEmpty();
    }

    @Test
    void theExampleReadsAsWritten() throws Exception {
        WorkflowDefinition w = loader.load(HELLO);

        assertThat(w.id()).isEqualTo("hello");
        assertThat(w.params()).containsEntry("shards", 4L).containsEntry("greeting", "hello");
        assertThat(w.tasks().keySet()).containsExactly("prepare", "shard", "report");
        ConnectionDefinition head = w.connections().get("head");
        assertThat(head.toTarget(w.connections()).toString()).isEqualTo("batch@127.0.0.1:22");
        assertThat(head.hostKeyPolicy()).isEqualTo(HostKeyPolicy.STRICT);
        assertThat(head.identity()).isEqualTo(Path.of(System.getProperty("user.home"), ".ssh/id_ed25519"));

        TaskDefinition prepare = w.tasks().get("prepare");
        assertThat(prepare.kind().key()).isEqualTo("ssh");
        assertThat(prepare.retries()).isEqualTo(2);
        assertThat(prepare.retryDelay()).isEqualTo(Duration.ofSeconds(10));
        assertThat(prepare.timeout()).isEqualTo(Duration.ofHours(1));
        assertThat(prepare.target()).isEqualTo("head");
        assertThat(prepare.triggerRule()).isEqualTo(TriggerRule.ALL_SUCCESS);

        TaskDefinition shard = w.tasks().get("shard");
        assertThat(shard.dependsOn()).containsExactly("prepare");
        assertThat(shard.expand().range().source()).isEqualTo("{{ params.shards }}");
        assertThat(shard.maxActive()).isEqualTo(100);
        assertThat(w.tasks().get("report").triggerRule()).isEqualTo(TriggerRule.ALL_DONE);
        assertThat(w.tasks().get("report").kind().key()).isEqualTo("camel");
    }

    @Test
    void setOverridesAParamTypedLikeItsDefault() throws Exception {
        WorkflowDefinition w = loader.load(HELLO, Map.of("shards", "200", "greeting", "x; rm -rf /"));

        assertThat(w.params()).containsEntry("shards", 200L).containsEntry("greeting", "x; rm -rf /");
    }

    @Test
    void setOfAnUnknownOrMistypedParamIsRejected() {
        InvalidWorkflowException unknown =
                catchThrowableOfType(InvalidWorkflowException.class, () -> loader.load(HELLO, Map.of("shard", "3")));
        assertThat(unknown.getMessage()).contains("--set shard=3: unknown param 'shard' (did you mean 'shards'?)");

        InvalidWorkflowException mistyped = catchThrowableOfType(
                InvalidWorkflowException.class, () -> loader.load(HELLO, Map.of("shards", "many")));
        assertThat(mistyped.getMessage())
                .contains("--set shards=many: param 'shards': 'many' is not a whole number (type: integer)");
    }

    @Test
    void aHostileParamStaysOneArgumentInShellText() throws Exception {
        Template t = Template.parse(
                "printf '%s|' {{ params.greeting }} {{ params.greeting | raw }}", Template.Quoting.SHELL);
        String command = t.render(ref -> "a b; echo pwned");

        // the quoted value is one word; the raw one is shell text, as asked
        assertThat(sh(command)).isEqualTo("a b; echo pwned|a|b|pwned\n");
    }

    @Test
    void everyErrorOfAFileIsReportedInFileOrder() {
        String text = """
                workflow: many
                tasks:
                  a: { shell: "true", retries: x }
                  b: { shell: "true", depends_on: [zz] }
                """;
        InvalidWorkflowException e = catchThrowableOfType(
                InvalidWorkflowException.class, () -> loader.parse(Path.of("many.yaml"), text, Map.of()));

        assertThat(e.errors())
                .extracting(WorkflowError::toString)
                .containsExactly(
                        "many.yaml:3:32: 'retries' in task 'a' must be a whole number >= 0, got 'x'",
                        "many.yaml:4:36: task 'b' depends on unknown task 'zz'");
    }

    @Test
    void aTaskOfAnUnknownTypeIsOneErrorAndItsDependentsAreNotBlamedForIt() {
        String text = """
                workflow: types
                tasks:
                  a: { local_thing: "true" }
                  b: { shell: "true", depends_on: [a] }
                """;
        InvalidWorkflowException e = catchThrowableOfType(
                InvalidWorkflowException.class, () -> loader.parse(Path.of("types.yaml"), text, Map.of()));

        assertThat(e.errors())
                .extracting(WorkflowError::toString)
                .singleElement()
                .asString()
                .startsWith("types.yaml:3:")
                .contains("local_thing")
                .doesNotContain("depends on");
    }

    @Test
    void aTaskWithAMistypedTypeStillHasItsOtherUnknownKeysReported() {
        String text = """
                workflow: typos
                tasks:
                  a:
                    shel: echo hi
                    retrys: 2
                """;
        InvalidWorkflowException e = catchThrowableOfType(
                InvalidWorkflowException.class, () -> loader.parse(Path.of("typos.yaml"), text, Map.of()));

        assertThat(e.errors()).extracting(WorkflowError::toString).hasSize(2);
        assertThat(e.errors().get(0).toString())
                .startsWith("typos.yaml:4:5: task 'a' has no known type: 'shel' is none " + "(did you mean 'shell'?)");
        assertThat(e.errors().get(1).toString())
                .startsWith(
                        "typos.yaml:5:5: unknown key 'retrys' in task 'a' " + "(did you mean 'retries'?); allowed: ");
    }

    @Test
    void withoutTheDatabasesPoolsARemoteJobsUndeclaredTargetIsTakenForAStoredPoolAndListed() throws Exception {
        String text = """
                workflow: pools
                tasks:
                  job: { remote_job: { script: "true" }, target: gpu }
                """;
        WorkflowLoader unchecked = WorkflowLoader.withUncheckedStoredPools(TaskKinds.builtIn());

        WorkflowDefinition w = unchecked.parse(Path.of("pools.yaml"), text, Map.of());
        assertThat(WorkflowLoader.uncheckedTargets(w)).containsExactly("gpu");
        assertThat(catchThrowableOfType(
                        InvalidWorkflowException.class, () -> loader.parse(Path.of("pools.yaml"), text, Map.of())))
                .as("a loader that knows the stored pools still refuses it")
                .isNotNull();
        // only remote jobs run on pools: an ssh task's undeclared target is an unknown connection either way
        InvalidWorkflowException ssh = catchThrowableOfType(
                InvalidWorkflowException.class,
                () -> unchecked.parse(
                        Path.of("pools.yaml"),
                        "workflow: pools\ntasks:\n  probe: { ssh: \"true\", target: gpu }\n",
                        Map.of()));
        assertThat(ssh.errors())
                .extracting(WorkflowError::toString)
                .singleElement()
                .asString()
                .contains("targets unknown connection or pool 'gpu'");
    }

    @Test
    void durationsReadAsWritten() {
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("2d")).isEqualTo(Duration.ofDays(2));
        for (String written : new String[] {"1h30m", "500ms", "2d", "5s", "1d2h3m4s5ms"}) {
            assertThat(Durations.format(Durations.parse(written)))
                    .as("written back")
                    .isEqualTo(written);
        }
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    }

    private static String sh(String command) throws Exception {
        Process p = new ProcessBuilder("/bin/sh", "-c", command)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
