package io.caravan.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The loader's limits and the values a hostile author controls: each a problem at its place, never another exception. */
class WorkflowLimitsTest {
    private static final Path FILE = Path.of("hostile.yaml");
    private static final String HEAD = "workflow: h\ntasks:\n  a: { shell: \"true\" }\n";

    @TempDir
    Path dir;

    private final WorkflowLoader loader = new WorkflowLoader(TaskKinds.builtIn());

    private List<WorkflowError> problems(WorkflowLoader with, String yaml) {
        InvalidWorkflowException e =
                catchThrowableOfType(() -> with.parse(FILE, yaml, Map.of()), InvalidWorkflowException.class);
        assertThat(e).as("refused").isNotNull();
        return e.errors();
    }

    private WorkflowError problem(String yaml) {
        List<WorkflowError> errors = problems(loader, yaml);
        assertThat(errors).hasSize(1);
        return errors.get(0);
    }

    @Test
    void aliasesCountAsTheValuesTheyStandFor() {
        WorkflowLoader small =
                new WorkflowLoader(TaskKinds.builtIn(), Set.of(), new WorkflowLimits(1 << 20, 50, 50, 30, 100));
        String within = HEAD + "params:\n  a: &a [1, 2, 3]\n  b: [*a, *a]\n"; // 9 values of the head, 17 of params
        String over = within + "  c: [*a, *a]\n";

        assertThat(catchThrowableOfType(() -> small.parse(FILE, within, Map.of()), InvalidWorkflowException.class))
                .isNull();
        WorkflowError e = problems(small, over).get(0);
        assertThat(e.message()).startsWith("more than 30 values once aliases are expanded");
        assertThat(e.line()).isEqualTo(7);
    }

    @Test
    void snakeYamlsAliasLimitIsPlacedAtTheLastEventRead() {
        StringBuilder yaml = new StringBuilder(HEAD + "params:\n  a: &a [x]\n  b: [");
        yaml.append("*a, ".repeat(51)).append("*a]\n");

        WorkflowError e = problem(yaml.toString());

        assertThat(e.message()).contains("aliases").contains("50");
        assertThat(e.line()).isEqualTo(6);
    }

    @Test
    void depthIsCheckedBeforeTheComposerRecurses() {
        WorkflowError e = problem(HEAD + "params:\n  x: " + "{a: ".repeat(100_000) + "1" + "}".repeat(100_000) + "\n");

        assertThat(e.message()).startsWith("nested more than 50 levels deep");
        assertThat(e.line()).isEqualTo(5);
    }

    @Test
    void aFileOverTheSizeLimitIsRefusedBeforeParsingAndOnlyTheLimitIsRead() throws Exception {
        WorkflowLoader tiny =
                new WorkflowLoader(TaskKinds.builtIn(), Set.of(), new WorkflowLimits(100, 50, 50, 1000, 100));
        Path big = Files.writeString(dir.resolve("big.yaml"), HEAD + "#".repeat(200));

        InvalidWorkflowException e = catchThrowableOfType(() -> tiny.load(big), InvalidWorkflowException.class);

        assertThat(e.errors())
                .singleElement()
                .hasToString(big + ":1:1: the file is larger than 100 bytes, the limit for a"
                        + " workflow; nothing of it was parsed");
        assertThat(problems(tiny, HEAD + "é".repeat(40)).get(0).message())
                .as("counted in UTF-8 bytes")
                .contains("larger than 100 bytes");
    }

    @Test
    void aFileThatIsNotUtf8IsOneProblem() throws Exception {
        Path latin1 = Files.write(
                dir.resolve("latin1.yaml"), (HEAD + "description: caf\u00e9\n").getBytes(StandardCharsets.ISO_8859_1));

        InvalidWorkflowException e = catchThrowableOfType(() -> loader.load(latin1), InvalidWorkflowException.class);

        assertThat(e.errors())
                .singleElement()
                .satisfies(w -> assertThat(w.message()).startsWith("not UTF-8 text"));
    }

    @Test
    void theProblemsListedAreCappedAndTheRestCounted() {
        StringBuilder yaml = new StringBuilder("workflow: h\ntasks:\n");
        for (int i = 0; i < 150; i++) {
            yaml.append("  t").append(i).append(": { shell: \"true\", bogus: 1 }\n");
        }
        WorkflowLoader capped =
                new WorkflowLoader(TaskKinds.builtIn(), Set.of(), new WorkflowLimits(1 << 20, 50, 50, 250_000, 10));

        List<WorkflowError> errors = problems(capped, yaml.toString());

        assertThat(errors).hasSize(11);
        assertThat(errors.get(10).message()).isEqualTo("... and 140 more problems (only the first 10 are listed)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"n: 99999999999999999999", "n: -99999999999999999999"})
    void aNumberTooLargeIsAProblemAtItsPlace(String param) {
        WorkflowError e = problem(HEAD + "params:\n  " + param + "\n");

        assertThat(e.message()).contains("out of range");
        assertThat(e.line()).isEqualTo(5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999s", "9223372036854775807d", "106752d", "36501d"})
    void aDurationTooLongIsAProblemAtItsPlace(String duration) {
        WorkflowError e = problem(HEAD.replace("shell: \"true\"", "shell: \"true\", timeout: " + duration));

        assertThat(e.message()).contains("too long");
        assertThat(e.line()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"0 0 0 ? * 1#9", "0 0 0 31 2 ? 2000", "* * * * * ? 2999999999", "0 0 0 L-40 * ?", "0 0 0 30 2 ?"
            })
    void aCronExpressionQuartzCannotUseIsAProblemAtItsPlace(String cron) {
        WorkflowError e = problem(HEAD + "schedule: \"" + cron + "\"\n");

        assertThat(e.message()).containsAnyOf("bad cron expression", "never fires");
        assertThat(e.line()).isEqualTo(4);
    }

    @Test
    void shellTextNestedDeeperThanTheLexerReadsRefusesTheValuesAfterItAndNothingOverflows() throws Exception {
        String deep = "workflow: w\nparams: { x: 1 }\ntasks:\n  a:\n    shell: |\n      echo " + "$(\"".repeat(100_000);

        WorkflowError e = problem(deep + "{{ params.x }}\n");

        assertThat(e.message()).contains("nested more than " + ShellLexer.MAX_NESTING + " deep");
        assertThat(loader.parse(FILE, deep + "\n", Map.of()).tasks())
                .as("without a value in it, the text is the shell's business")
                .containsKey("a");
    }

    @Test
    void aCycleThroughTwentyThousandTasksIsOneShortLineAndATemplateFarDownstreamResolves() {
        int n = 20_000;
        StringBuilder yaml =
                new StringBuilder("workflow: w\ntasks:\n  t0: { shell: \"true\", depends_on: [t" + (n - 1) + "] }\n");
        for (int i = 1; i < n; i++) {
            yaml.append("  t")
                    .append(i)
                    .append(": { shell: \"true\", depends_on: [t")
                    .append(i - 1)
                    .append("] }\n");
        }
        String chain = yaml.toString().replace(", depends_on: [t" + (n - 1) + "]", "")
                + "  last: { shell: \"echo {{ tasks.t0.output }}\", depends_on: [t" + (n - 1) + "] }\n";

        WorkflowError e = problem(yaml.toString());

        assertThat(e.message())
                .startsWith("dependency cycle: t0 -> t19999 -> ")
                .contains("(19981 more)")
                .endsWith("t1 -> t0");
        assertThat(e.message().length()).isLessThan(300);
        assertThat(catchThrowableOfType(() -> loader.parse(FILE, chain, Map.of()), InvalidWorkflowException.class))
                .as("t0 is upstream of last, 20 000 tasks up")
                .isNull();
    }

    @Test
    void aNullExpandItemIsAProblem() {
        WorkflowError e = problem(
                "workflow: h\ntasks:\n  a:\n    shell: \"echo {{ item }}\"\n    expand: { items: [a, null] }\n");

        assertThat(e.message()).contains("an item is null");
    }
}
