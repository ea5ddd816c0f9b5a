package io.caravan.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RunLimitsYamlTest {
    private static final Path FILE = Path.of("limits.yaml");
    private final WorkflowLoader loader = new WorkflowLoader(TaskKinds.builtIn());

    @Test
    void timeoutMaxActiveRunsAndOverlapAreRead() throws Exception {
        WorkflowDefinition w = loader.parse(FILE, """
                workflow: nightly
                timeout: 5s
                max_active_runs: 3
                overlap: queue
                tasks:
                  load: { shell: "true" }
                """, Map.of());

        assertThat(w.limits()).isEqualTo(new RunLimits(Duration.ofSeconds(5), 3, RunLimits.Overlap.QUEUE));
    }

    @Test
    void withoutTheKeysARunHasNoTimeoutAndFiringsQueueOneAtATime() throws Exception {
        WorkflowDefinition w = loader.parse(FILE, "workflow: nightly\ntasks:\n  load: { shell: \"true\" }\n", Map.of());

        assertThat(w.limits()).isEqualTo(new RunLimits(null, 1, RunLimits.Overlap.QUEUE));
        assertThat(w.withParams(Map.of()).limits()).isEqualTo(w.limits());
    }

    @Test
    void badLimitsAreRefusedAtTheirPlace() {
        InvalidWorkflowException e =
                catchThrowableOfType(() -> loader.parse(FILE, """
                workflow: nightly
                timeout: soon
                max_active_runs: 0
                overlap: sometimes
                tasks:
                  load: { shell: "true" }
                """, Map.of()), InvalidWorkflowException.class);

        assertThat(e.getMessage())
                .contains("limits.yaml:2:10: 'timeout' in the workflow: bad duration 'soon'")
                .contains("limits.yaml:3:18: 'max_active_runs' in the workflow must be a whole number >= 1, got '0'")
                .contains("limits.yaml:4:10: overlap must be skip, queue or allow, got 'sometimes'");
    }
}
