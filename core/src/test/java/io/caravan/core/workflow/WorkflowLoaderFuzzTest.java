package io.caravan.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The example workflows cut, spliced and sprinkled with YAML and template syntax, thousands of times from a fixed
 * seed: the loader either loads a file or refuses it with problems; any other exception is a gap a hostile author
 * could turn into a stack trace.
 */
class WorkflowLoaderFuzzTest {
    private static final long SEED = Long.getLong("caravan.fuzz.seed", 20261202L);
    private static final int ROUNDS = Integer.getInteger("caravan.fuzz.rounds", 3000);
    private static final String[] SPRINKLES = {
        "{{",
        "}}",
        "{{ params.",
        "{{ tasks.",
        " | raw",
        "&a ",
        "*a",
        "[",
        "]",
        "{",
        "}",
        ":",
        "- ",
        "\n  ",
        "\n",
        "\"",
        "'",
        "|\n",
        ">-\n",
        "#",
        "!!binary ",
        "!!python/object ",
        "? ",
        "99999999999999999999",
        "-1",
        "0",
        "1e400",
        "null",
        "~",
        "true",
        "9999999999d",
        "1h30",
        "ms",
        "\t",
        "\\",
        "$(",
        "`",
        "<<",
        "%YAML 1.2\n---\n",
        "\u0000",
        "\uFEFF",
        "é",
        "\uD83D\uDE00",
        "expand: { range: 1000001 }",
        "depends_on: [",
        "trigger_rule: x",
        "schedule: \""
    };

    @Test
    void everyMutationLoadsOrIsRefusedWithProblems() throws Exception {
        List<String> examples = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("../examples/workflows"))) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                examples.add(Files.readString(f));
            }
        }
        WorkflowLoader loader = new WorkflowLoader(TaskKinds.builtIn());
        Random random = new Random(SEED);
        int loaded = 0;
        int refused = 0;
        long slowest = 0;
        for (int round = 0; round < ROUNDS; round++) {
            String text = mutate(examples.get(random.nextInt(examples.size())), random);
            long start = System.nanoTime();
            try {
                loader.parse(Path.of("fuzz-" + round + ".yaml"), text, Map.of());
                loaded++;
            } catch (InvalidWorkflowException e) {
                assertThat(e.errors()).isNotEmpty();
                refused++;
            } catch (RuntimeException | StackOverflowError e) {
                throw new AssertionError("round " + round + " escaped as " + e + " on:\n" + text, e);
            }
            slowest = Math.max(slowest, System.nanoTime() - start);
        }
        System.out.printf(
                "%d mutations (seed %d): %d loaded, %d refused, slowest %d ms%n",
                ROUNDS, SEED, loaded, refused, slowest / 1_000_000);
        assertThat(refused).as("the mutations do reach the checks").isGreaterThan(ROUNDS / 4);
    }

    private static String mutate(String text, Random random) {
        StringBuilder s = new StringBuilder(text);
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits && s.length() > 0; i++) {
            int at = random.nextInt(s.length());
            switch (random.nextInt(4)) {
                case 0 -> s.insert(at, SPRINKLES[random.nextInt(SPRINKLES.length)]);
                case 1 -> s.delete(at, Math.min(s.length(), at + 1 + random.nextInt(20)));
                case 2 -> s.setLength(at);
                default -> {
                    int from = random.nextInt(s.length());
                    s.insert(at, s.substring(from, Math.min(s.length(), from + 1 + random.nextInt(60))));
                }
            }
        }
        return s.toString();
    }
}
