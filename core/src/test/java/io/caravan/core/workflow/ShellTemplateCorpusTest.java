package io.caravan.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import io.caravan.testkit.HostileValues;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every hostile value through every quoting context, rendered and run by a real /bin/sh (dash here) and bash:
 * each command writes the value as it received it to a file, which must hold exactly the value's UTF-8 bytes,
 * unless rendering refused the value (which this test predicts on its own); and no value runs a command (no
 * {@code pwned} file appears). The contexts where no quoting is safe are refused when loaded, whatever the value.
 */
class ShellTemplateCorpusTest {
    private static final String EOF = HostileValues.DELIMITER;

    /** A command that writes the value, as its context gives it, to $OUT; what $OUT must then hold; which values are refused. */
    private record Context(String name, String command, UnaryOperator<String> received, Predicate<String> refused) {
        Context(String name, String command, UnaryOperator<String> received) {
            this(name, command, received, v -> false);
        }
    }

    private static final Predicate<String> ENDS_HERE_DOC =
            v -> Arrays.asList(v.split("\n", -1)).contains(EOF);
    private static final Predicate<String> STRIPPED_OR_ENDS =
            v -> Arrays.stream(v.split("\n", -1)).anyMatch(line -> line.startsWith("\t") || line.equals(EOF));

    private static final List<Context> CONTEXTS = List.of(
            new Context("bare", "printf '%s' {{ v }} >\"$OUT\"", v -> v),
            new Context("adjacent", "printf '%s' --out=/x/{{ v }}.txt >\"$OUT\"", v -> "--out=/x/" + v + ".txt"),
            new Context("assignment", "x={{ v }}; printf '%s' \"$x\" >\"$OUT\"", v -> v),
            new Context("double-quoted", "printf '%s' \"<{{ v }}>\" >\"$OUT\"", v -> "<" + v + ">"),
            new Context("single-quoted", "printf '%s' '<{{ v }}>' >\"$OUT\"", v -> "<" + v + ">"),
            new Context(
                    "mixed", "printf '%s' a'{{ v }}'b\"{{ v }}\"c{{ v }} >\"$OUT\"", v -> "a" + v + "b" + v + "c" + v),
            new Context("substitution", "x=$(printf '%s' {{ v }}; printf .); printf '%s' \"${x%.}\" >\"$OUT\"", v -> v),
            new Context(
                    "substitution-in-double-quotes",
                    "x=\"$(printf '%s' \"<{{ v }}>\"; printf .)\"; printf '%s' \"${x%.}\" >\"$OUT\"",
                    v -> "<" + v + ">"),
            new Context(
                    "nested-substitutions",
                    "x=\"$(printf '%s' \"$(printf '%s' '{{ v }}'; printf .)\")\"; printf '%s' \"${x%.}\" >\"$OUT\"",
                    v -> v),
            new Context("here-document", "save <<EOF\n{{ v }}\nEOF", v -> v + "\n", ENDS_HERE_DOC),
            new Context("quoted-here-document", "save <<'EOF'\n{{ v }}\nEOF", v -> v + "\n", ENDS_HERE_DOC),
            new Context("tab-stripped-here-document", "save <<-EOF\n\t{{ v }}\n\tEOF", v -> v + "\n", STRIPPED_OR_ENDS),
            new Context(
                    "here-document-in-substitution",
                    "x=$(cat <<EOF\n{{ v }}\nEOF\necho .\n); printf '%s' \"${x%.}\" >\"$OUT\"",
                    v -> v + "\n",
                    ENDS_HERE_DOC));
    /**
     * Writes its standard input to $OUT line by line, with builtins only (a cat per case costs ~20 ms here): a
     * here-document's body always ends with a newline, so the lines and their newlines are all of it.
     */
    private static final String SAVE =
            "save() { x=; while IFS= read -r l; do x=\"$x$l\n\"; done; printf '%s' \"$x\" >\"$OUT\"; }\n";

    private static final List<String> REFUSED = List.of(
            "echo `printf %s {{ v }}`",
            "echo \"`printf %s '{{ v }}'`\"",
            "true # {{ v }}",
            "echo $'{{ v }}'",
            "echo $\"{{ v }}\"",
            "echo $(( {{ v }} + 1 ))",
            "(( {{ v }} ))",
            "echo ${HOME:-{{ v }}}",
            "echo ${{ v }}",
            "echo \\{{ v }}",
            "cat <<{{ v }}\nx\n",
            "echo '{{ v }}",
            "echo \"{{ v }}",
            "echo $(printf %s {{ v }}",
            "cat <<EOF\n{{ v }}\n");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"/bin/sh", "/bin/bash"})
    void theCommandReceivesExactlyTheValueOrItIsRefused(String shell) throws Exception {
        assumeThat(Path.of(shell)).isExecutable();
        Map<String, String> values = HostileValues.all();
        List<String> commands = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (Context context : CONTEXTS) {
            Template template = Template.parse(context.command(), Template.Quoting.SHELL);
            values.forEach((name, value) -> {
                String what = context.name() + " / " + name;
                if (!carriable(value) || context.refused().test(value)) {
                    assertThatThrownBy(() -> template.render(ref -> value))
                            .as(what)
                            .isInstanceOf(IllegalArgumentException.class)
                            .hasMessageStartingWith("{{ v }}: ");
                    return;
                }
                Path out = dir.resolve("out-" + outputs.size());
                commands.add("OUT='" + out + "'\n" + template.render(ref -> value));
                outputs.add(out);
                expected.add(context.received().apply(value));
            });
        }

        String log = run(shell, SAVE + String.join("\n", commands));

        for (int i = 0; i < outputs.size(); i++) {
            assertThat(outputs.get(i))
                    .as("%s: %s (%s)", shell, commands.get(i), log)
                    .exists();
            assertThat(Files.readAllBytes(outputs.get(i)))
                    .as("%s: %s", shell, commands.get(i))
                    .isEqualTo(expected.get(i).getBytes(StandardCharsets.UTF_8));
        }
        assertThat(outputs).as("cases run").hasSizeGreaterThan(CONTEXTS.size() * (values.size() - 12));
        assertThat(dir.resolve(HostileValues.MARKER))
                .as("a value ran a command")
                .doesNotExist();
    }

    @Test
    void contextsWhereNoQuotingIsSafeAreRefusedWhenLoadedBeforeAnyValue() {
        for (String text : REFUSED) {
            assertThatThrownBy(() -> Template.parse(text, Template.Quoting.SHELL))
                    .as(text)
                    .isInstanceOf(TemplateException.class)
                    .hasMessageStartingWith("{{ v }} stands ");
        }
    }

    private static boolean carriable(String value) {
        return value.indexOf('\0') < 0
                && new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(value);
    }

    /** The script from a file of its UTF-8 bytes, in the temporary directory, where a value that ran would leave its marker. */
    private String run(String shell, String script) throws IOException, InterruptedException {
        Path file = Files.writeString(dir.resolve("script.sh"), script, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(shell, file.toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        return log;
    }
}
