package io.caravan.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class NotificationsYamlTest {
    private static final Path FILE = Path.of("notify.yaml");
    private final WorkflowLoader loader = new WorkflowLoader(TaskKinds.builtIn());

    @Test
    void workflowAndTaskNotificationsAndSlaAreRead() throws Exception {
        WorkflowDefinition w = loader.parse(FILE, """
                workflow: nightly
                params: {team: ops}
                sla: 1h
                on_failure: ["smtp://127.0.0.1:2525?to={{ params.team }}@example.org"]
                on_late: log:late
                tasks:
                  load:
                    shell: "true"
                    sla: 2s
                    on_retry: [http://127.0.0.1:9/retry]
                    on_success: ["http://127.0.0.1:9/ok?run={{ run.id }}"]
                """, Map.of());

        assertThat(w.notifications().sla()).isEqualTo(Duration.ofHours(1));
        assertThat(w.notifications().of(NotifyEvent.FAILURE))
                .singleElement()
                .satisfies(t ->
                        assertThat(t.render(r -> "a b")).isEqualTo("smtp://127.0.0.1:2525?to=RAW(a b@example.org)"));
        assertThat(w.notifications().of(NotifyEvent.LATE))
                .singleElement()
                .satisfies(t -> assertThat(t.source()).isEqualTo("log:late"));
        Notifications task = w.tasks().get("load").notifications();
        assertThat(task.sla()).isEqualTo(Duration.ofSeconds(2));
        assertThat(task.of(NotifyEvent.RETRY)).hasSize(1);
        assertThat(task.of(NotifyEvent.SUCCESS)).hasSize(1);
        assertThat(task.of(NotifyEvent.FAILURE)).isEmpty();
    }

    @Test
    void badNotificationsAreRefusedAtTheirPlace() {
        InvalidWorkflowException e =
                catchThrowableOfType(() -> loader.parse(FILE, """
                workflow: nightly
                on_failure: ["http://h/{{ params.nope }}"]
                tasks:
                  load:
                    shell: "true"
                    sla: soon
                    on_late: [not-a-uri]
                    on_retry: ["http://h/{{ tasks.load.output }}"]
                """, Map.of()), InvalidWorkflowException.class);

        assertThat(e.getMessage())
                .contains("notify.yaml:2:24: {{ params.nope }}: unknown param 'nope'")
                .contains("notify.yaml:6:10: 'sla' in task 'load': bad duration 'soon'")
                .contains("notify.yaml:7:15: 'not-a-uri' is no endpoint URI")
                .contains(
                        "notify.yaml:8:26: {{ tasks.load.output }}: a notification URI may name params.* and run.* only");
    }
}
