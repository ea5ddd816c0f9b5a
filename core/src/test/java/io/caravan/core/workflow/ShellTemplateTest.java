package io.caravan.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Where {@link ShellLexer} finds each {@code {{ }}} in shell text, seen through how a probe value is written
 * there, and where it refuses one. (That the shells then receive exactly the value: {@link ShellTemplateCorpusTest}.)
 */
class ShellTemplateTest {
    /** A value with a character special to each place: written differently in every one. */
    private static final String PROBE = "x'y\"z$";

    private static String written(String text) {
        return Template.parse(text, Template.Quoting.SHELL).render(ref -> PROBE);
    }

    private static String refusal(String text) {
        TemplateException e =
                catchThrowableOfType(TemplateException.class, () -> Template.parse(text, Template.Quoting.SHELL));
        assertThat(e).as("'%s' must be refused", text).isNotNull();
        assertThat(e.problems())
                .allSatisfy(p -> assertThat(text.startsWith("{{", p.offset()))
                        .as("offset of a '{{'")
                        .isTrue());
        return e.getMessage();
    }

    @Test
    void eachQuotingContextWritesTheValueForItself() {
        Map<String, String> cases = Map.ofEntries(
                Map.entry("echo {{ v }}", "echo 'x'\"'\"'y\"z$'"),
                Map.entry("echo --out=/x/{{ v }}.txt", "echo --out=/x/'x'\"'\"'y\"z$'.txt"),
                Map.entry("echo \"a {{ v }} b\"", "echo \"a x'y\\\"z\\$ b\""),
                Map.entry("echo 'a {{ v }} b'", "echo 'a x'\\''y\"z$ b'"),
                Map.entry("echo \"$(printf %s \"{{ v }}\")\"", "echo \"$(printf %s \"x'y\\\"z\\$\")\""),
                Map.entry("echo \"$(printf %s {{ v }})\"", "echo \"$(printf %s 'x'\"'\"'y\"z$')\""),
                Map.entry(
                        "echo \"a $(echo \"b $(echo '{{ v }}')\")\"", "echo \"a $(echo \"b $(echo 'x'\\''y\"z$')\")\""),
                Map.entry("cat <<EOF\n{{ v }}\nEOF\n", "cat <<EOF\nx'y\"z\\$\nEOF\n"),
                Map.entry(
                        "cat <<EOF\n\"{{ v }}\" $(echo \"{{ v }}\")\nEOF",
                        "cat <<EOF\n\"x'y\"z\\$\" $(echo \"x'y\\\"z\\$\")\nEOF"),
                Map.entry("cat <<'EOF'\n{{ v }}\nEOF", "cat <<'EOF'\nx'y\"z$\nEOF"),
                Map.entry("cat <<-\"EOF\"\n\t{{ v }}\n\tEOF", "cat <<-\"EOF\"\n\tx'y\"z$\n\tEOF"),
                Map.entry("cat <<EOF; echo {{ v }}\nbody\nEOF", "cat <<EOF; echo 'x'\"'\"'y\"z$'\nbody\nEOF"),
                Map.entry("x=$(cat <<E\na)\nE\n); echo {{ v }}", "x=$(cat <<E\na)\nE\n); echo 'x'\"'\"'y\"z$'"),
                Map.entry("cat <<EOF\nEOF\n'{{ v }}'", "cat <<EOF\nEOF\n'x'\\''y\"z$'"),
                Map.entry("echo \"${HOME}/{{ v }}\" $# a#{{ v }}", "echo \"${HOME}/x'y\\\"z\\$\" $# a#'x'\"'\"'y\"z$'"),
                Map.entry("case {{ v }} in a) echo;; esac", "case 'x'\"'\"'y\"z$' in a) echo;; esac"),
                Map.entry("echo a \\\n {{ v }}", "echo a \\\n 'x'\"'\"'y\"z$'"),
                Map.entry("echo {{ v | raw }} `{{ v | raw }}`", "echo x'y\"z$ `x'y\"z$`"),
                Map.entry("cat <<<{{ v }}", "cat <<<'x'\"'\"'y\"z$'"));
        cases.forEach((text, expected) -> assertThat(written(text)).as(text).isEqualTo(expected));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '^', textBlock = """
            echo `{{ v }}`                  | inside backquotes
            echo "`{{ v }}`"                | inside backquotes
            echo hi # {{ v }}               | in a shell comment
            echo $'{{ v }}'                 | inside $'…'
            echo $"{{ v }}"                 | inside $"…"
            echo $(( {{ v }} + 1 ))         | in an arithmetic expression
            (( {{ v }} > 1 ))               | in an arithmetic expression
            echo $[ {{ v }} ]               | in an arithmetic expression
            echo ${X:-{{ v }}}              | inside ${…}
            echo ${{ v }}                   | right after '$'
            echo "${{ v }}"                 | right after '$'
            echo \\{{ v }}                  | right after a backslash
            echo "\\{{ v }}"                | right after a backslash
            cat <<{{ v }}                   | in a here-document's delimiter
            echo '{{ v }}                   | inside a '…' quote that the text never closes
            echo "{{ v }}                   | inside a "…" quote that the text never closes
            echo $(echo {{ v }}             | inside $(…) that the text never closes
            echo $'\\'' ; echo {{ v }}      | after $'…' with an escaped quote
            echo ${x:-'a'} {{ v }}          | after quotes, a backslash or backquotes inside ${…}
            """)
    void aValueWhereNoQuotingIsSafeIsRefusedWithTheReason(String text, String reason) {
        assertThat(refusal(text)).contains(reason).contains("{{ v }}");
    }

    @Test
    void constructsThatShAndBashReadDifferentlyRefuseEveryValueAfterThem() {
        assertThat(refusal("x=$(case a in a) echo;; esac); echo {{ v }}")).contains("after case … esac inside $(…)");
        assertThat(refusal("cat <<EOF\n$(echo\n{{ v }})\nEOF")).contains("go on past their line in a here-document");
        assertThat(refusal("cat <<EOF 'a\nb'\n{{ v }}\nEOF")).contains("after a here-document whose line goes on");
        assertThat(refusal("cat <<EOF\nE\\\nOF\n{{ v }}\nEOF"))
                .contains("a here-document line that bash ends and dash does not");
        assertThat(refusal("cat <<EOF\n{{ v }}\n")).contains("inside a here-document (no line reads 'EOF')");
        assertThat(refusal("echo `date` {{ v }}; echo hi # {{ v }}"))
                .contains("in a shell comment")
                .doesNotContain("backquotes");
    }

    @Test
    void theFixIsNamedWithTheReferenceAsWritten() {
        assertThat(refusal("echo `{{ params.x }}`"))
                .isEqualTo(
                        "{{ params.x }} stands inside backquotes, where no quoting keeps a value from running: write $(…) instead of `…`");
        assertThat(refusal("echo ${X:-{{ params.x }}}"))
                .endsWith("set a variable first (v={{ params.x }}), or pass the value through env:, and use \"$v\"");
    }

    @Test
    void aValueThatWouldEndItsHereDocumentEarlyIsRefusedWhenRendered() {
        Template doc = Template.parse("cat <<EOF\n{{ v }}\nEOF\necho after", Template.Quoting.SHELL);
        assertThat(doc.render(ref -> "EOF2\nxEOF\n EOF")).isEqualTo("cat <<EOF\nEOF2\nxEOF\n EOF\nEOF\necho after");
        assertThatThrownBy(() -> doc.render(ref -> "a\nEOF\ntouch pwned"))
                .hasMessageContaining("{{ v }}: the value makes a line read 'EOF' in the here-document");

        Template joined = Template.parse("cat <<EOF\nE{{ v }}\nEOF", Template.Quoting.SHELL);
        assertThatThrownBy(() -> joined.render(ref -> "OF")).hasMessageContaining("'EOF'");
        Template continued = Template.parse("cat <<EOF\n{{ v }}\\\nOF\nEOF", Template.Quoting.SHELL);
        assertThatThrownBy(() -> continued.render(ref -> "E"))
                .as("bash joins backslash-newline")
                .hasMessageContaining("'EOF'");

        Template stripped = Template.parse("cat <<-EOF\n\t{{ v }}\n\tEOF", Template.Quoting.SHELL);
        assertThatThrownBy(() -> stripped.render(ref -> "a\nEOF")).hasMessageContaining("'EOF'");
        assertThatThrownBy(() -> stripped.render(ref -> "\tx"))
                .hasMessageContaining("tab at the start of a line, which <<- strips");
        assertThatThrownBy(() -> stripped.render(ref -> "a\n\tb")).hasMessageContaining("tab at the start of a line");
        assertThat(stripped.render(ref -> "a\tb")).isEqualTo("cat <<-EOF\n\ta\tb\n\tEOF");
    }

    @Test
    void aValueNoArgumentCanCarryIsRefusedWhenRenderedInAnyTemplate() {
        for (Template.Quoting quoting : Template.Quoting.values()) {
            Template t = Template.parse(
                    quoting == Template.Quoting.URI ? "log:x?a={{ params.v }}" : "x={{ params.v }}", quoting);
            assertThatThrownBy(() -> t.render(ref -> "a\0b"))
                    .as(quoting.name())
                    .hasMessageStartingWith("{{ params.v }}: the value holds a NUL character (at character 1)");
            assertThatThrownBy(() -> t.render(ref -> "a\uD800"))
                    .as(quoting.name())
                    .hasMessageStartingWith(
                            "{{ params.v }}: the value is not valid Unicode text (a lone surrogate at character 1)");
            assertThat(t.render(ref -> "😀")).as("a surrogate pair is fine").contains("😀");
        }
    }
}
