package io.caravan.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Typed params: declarations read and checked at load, and every given value checked by the one {@link ParamSpec}. */
class TypedParamsTest {
    private static final Path FILE = Path.of("typed.yaml");
    private static final String TYPED = """
            workflow: typed
            params:
              shards: { type: integer, default: 8, min: 1, max: 1000, description: how many pieces }
              ratio: { type: number, default: 0.5, min: 0, max: 1 }
              size: { type: string, default: small, enum: [small, large] }
              tag: { type: string, default: v1, pattern: "v[0-9]+" }
              dry: { type: boolean, default: false }
              day: { type: date, default: 2026-01-31 }
              hosts: { type: list, default: [a, b] }
              plain: 3
              mapping: { a: 1 }
            tasks:
              t: { shell: "echo {{ params.shards }}" }
            """;
    private final WorkflowLoader loader = new WorkflowLoader(TaskKinds.builtIn());

    @Test
    void declaredParamsStartAtTheirDefaultsAndTakeValuesOfTheirType() throws Exception {
        WorkflowDefinition w = loader.parse(FILE, TYPED, Map.of());
        assertThat(w.params())
                .containsEntry("shards", 8L)
                .containsEntry("ratio", 0.5)
                .containsEntry("size", "small")
                .containsEntry("dry", false)
                .containsEntry("day", "2026-01-31")
                .containsEntry("hosts", List.of("a", "b"))
                .containsEntry("plain", 3L)
                .containsEntry("mapping", Map.of("a", 1L));

        WorkflowDefinition set = loader.parse(
                FILE,
                TYPED,
                Map.of(
                        "shards",
                        "1000",
                        "ratio",
                        "1",
                        "size",
                        "large",
                        "tag",
                        "v22",
                        "dry",
                        "true",
                        "day",
                        "2025-02-28",
                        "hosts",
                        "x, y,z",
                        "plain",
                        "9"));
        assertThat(set.params())
                .containsEntry("shards", 1000L)
                .containsEntry("ratio", 1.0)
                .containsEntry("size", "large")
                .containsEntry("tag", "v22")
                .containsEntry("dry", true)
                .containsEntry("day", "2025-02-28")
                .containsEntry("hosts", List.of("x", "y", "z"))
                .containsEntry("plain", 9L);
    }

    @Test
    void aValueThatBreaksARuleIsRefusedNamingTheParamAndTheRule() {
        assertThat(setProblem("shards", "abc"))
                .isEqualTo(
                        "typed.yaml:3:11: --set shards=abc: param 'shards': 'abc' is not a whole number (type: integer)");
        assertThat(setProblem("shards", "0")).endsWith("param 'shards': '0' is less than the minimum 1 (min)");
        assertThat(setProblem("shards", "1001")).endsWith("param 'shards': '1001' is more than the maximum 1000 (max)");
        assertThat(setProblem("ratio", "1.5")).endsWith("param 'ratio': '1.5' is more than the maximum 1.0 (max)");
        assertThat(setProblem("size", "huge")).endsWith("param 'size': 'huge' is not one of small, large (enum)");
        assertThat(setProblem("tag", "v1; rm"))
                .endsWith("param 'tag': 'v1; rm' does not match the pattern v[0-9]+ (pattern)");
        assertThat(setProblem("dry", "yes")).endsWith("param 'dry': 'yes' is not true or false (type: boolean)");
        assertThat(setProblem("day", "2026-02-30"))
                .endsWith("param 'day': '2026-02-30' is not a date as YYYY-MM-DD (type: date)");
        assertThat(setProblem("plain", "x")).endsWith("param 'plain': 'x' is not a whole number (type: integer)");
    }

    @Test
    void aBadDeclarationIsAProblemAtItsPlace() {
        InvalidWorkflowException e =
                catchThrowableOfType(InvalidWorkflowException.class, () -> loader.parse(FILE, """
                workflow: bad
                params:
                  a: { type: integr, default: 1 }
                  b: { type: integer, default: 0, min: 1 }
                  c: { type: string, default: x, min: 1 }
                  d: { type: integer }
                  e: { type: string, default: x, pattern: "([" }
                  f: { type: integer, default: 1, maximum: 3 }
                  g: { type: string, default: q, enum: [p, r] }
                tasks:
                  t: { shell: "echo {{ params.a }} {{ params.d }}" }
                """, Map.of()));
        assertThat(e.errors())
                .extracting(WorkflowError::toString)
                .containsExactly(
                        "typed.yaml:3:14: param 'a': unknown type 'integr' (did you mean 'integer'?); types: string, integer, number, boolean, date, list",
                        "typed.yaml:4:32: default of param 'b': '0' is less than the minimum 1 (min)",
                        "typed.yaml:5:34: param 'c': min and max apply to integer and number params, not string",
                        "typed.yaml:6:6: param 'd' needs 'default:' (the value a run starts with when no value is given)",
                        "typed.yaml:7:43: param 'e': bad pattern: Unclosed character class",
                        "typed.yaml:8:35: unknown key 'maximum' in param 'f'; allowed: default, description, enum, max, min, pattern, type",
                        "typed.yaml:9:31: default of param 'g': 'q' is not one of p, r (enum)");
    }

    @Test
    void aFormGetsEachParamsTypeDefaultAndRules() {
        Map<String, ParamSpec> specs = WorkflowLoader.paramSpecs(FILE, TYPED);
        assertThat(specs.get("shards").view())
                .containsExactly(
                        Map.entry("type", "integer"),
                        Map.entry("default", 8L),
                        Map.entry("min", 1L),
                        Map.entry("max", 1000L),
                        Map.entry("description", "how many pieces"));
        assertThat(specs.get("size").view()).containsEntry("enum", List.of("small", "large"));
        assertThat(specs.get("plain").view()).containsExactly(Map.entry("type", "integer"), Map.entry("default", 3L));
    }

    private String setProblem(String name, String value) {
        InvalidWorkflowException e = catchThrowableOfType(
                InvalidWorkflowException.class, () -> loader.parse(FILE, TYPED, Map.of(name, value)));
        assertThat(e).as("--set %s=%s", name, value).isNotNull();
        assertThat(e.errors()).hasSize(1);
        return e.errors().get(0).toString();
    }
}
