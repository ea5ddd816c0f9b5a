package io.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.core.runs.TaskState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each trigger rule against each mix of upstream outcomes, through the whole engine. */
class TriggerRuleTest extends EngineTestSupport {

    @ParameterizedTest(name = "{0} after a={1}, b={2} -> {3}")
    @CsvSource({
        "all_success, ok,   ok,   SUCCEEDED",
        "all_success, ok,   fail, UPSTREAM_FAILED",
        "all_success, fail, fail, UPSTREAM_FAILED",
        "all_done,    ok,   fail, SUCCEEDED",
        "all_done,    fail, fail, SUCCEEDED",
        "all_failed,  fail, fail, SUCCEEDED",
        "all_failed,  ok,   fail, SKIPPED",
        "one_success, ok,   fail, SUCCEEDED",
        "one_success, fail, fail, UPSTREAM_FAILED",
        "one_failed,  ok,   fail, SUCCEEDED",
        "one_failed,  ok,   ok,   SKIPPED",
        "none_failed, ok,   ok,   SUCCEEDED",
        "none_failed, ok,   fail, UPSTREAM_FAILED",
    })
    void theDownstreamTaskEndsAsTheRuleSays(String rule, String a, String b, TaskState expected) throws Exception {
        EngineFixture.Result r = engine.run("""
                workflow: rules
                tasks:
                  a: { shell: "%s" }
                  b: { shell: "%s" }
                  c: { shell: "true", depends_on: [a, b], trigger_rule: %s }
                """.formatted(command(a), command(b), rule));

        assertThat(engine.taskStates(r.runId()).get("c")).isEqualTo(expected);
    }

    @ParameterizedTest(name = "a skipped task makes all_success skip and none_failed run")
    @CsvSource({"all_success, SKIPPED", "none_failed, SUCCEEDED", "all_done, SUCCEEDED"})
    void skippedUpstreamTasks(String rule, TaskState expected) throws Exception {
        EngineFixture.Result r = engine.run("""
                workflow: skips
                tasks:
                  ok: { shell: "true" }
                  skipped: { shell: "true", depends_on: [ok], trigger_rule: all_failed }
                  c: { shell: "true", depends_on: [skipped], trigger_rule: %s }
                """.formatted(rule));

        assertThat(engine.taskStates(r.runId()))
                .containsEntry("skipped", TaskState.SKIPPED)
                .containsEntry("c", expected);
    }

    private static String command(String outcome) {
        return outcome.equals("ok") ? "true" : "false";
    }
}
