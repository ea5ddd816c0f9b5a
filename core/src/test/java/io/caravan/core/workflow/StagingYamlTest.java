package io.caravan.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.caravan.core.staging.StageEntry;
import io.caravan.core.staging.StagePlan;
import org.junit.jupiter.api.Test;

class StagingYamlTest {
    private static final Path FILE = Path.of("/work/flows/stage.yaml");
    private final WorkflowLoader loader = new WorkflowLoader(TaskKinds.builtIn());

    private static String workflow(String job) {
        return """
                workflow: staged
                connections:
                  rig: { host: h.example, user: me }
                tasks:
                  job:
                    target: rig
                    remote_job:
                      command: ./run
                """ + job.indent(6);
    }

    @Test
    void linesAreReadWithTheWorkflowFilesDirectoryAsTheirLocalBase() throws Exception {
        WorkflowDefinition w = loader.parse(FILE, workflow("""
                stage_in:
                  - { from: data/input.csv }
                  - { from: "conf/*.yaml", to: conf/ }
                stage_out:
                  - { from: "out/*.csv", to: results/, optional: true }
                  - { from: log, to: logs/job.log, when: always }
                """), Map.of());

        Map<String, Object> options = new HashMap<>(w.tasks().get("job").options());
        options.replaceAll((k, v) -> render(v));
        StagePlan plan = StagePlan.of(options);
        assertThat(plan.localBase()).isEqualTo(Path.of("/work/flows"));
        assertThat(plan.in())
                .containsExactly(
                        new StageEntry("data/input.csv", null, false, false),
                        new StageEntry("conf/*.yaml", "conf/", false, false));
        assertThat(plan.out())
                .containsExactly(
                        new StageEntry("out/*.csv", "results/", true, false),
                        new StageEntry("log", "logs/job.log", false, true));
        assertThat(plan.outAfter(false)).containsExactly(new StageEntry("log", "logs/job.log", false, true));
    }

    @Test
    void badLinesAreRefusedAtTheirPlace() {
        InvalidWorkflowException e =
                catchThrowableOfType(() -> loader.parse(FILE, workflow("""
                stage_in:
                  - { from: "data/*/input.csv" }
                  - { from: a.txt, to: ../elsewhere/a.txt }
                  - { from: b.txt, to: log }
                  - { to: somewhere }
                  - { from: c.txt, mode: 600 }
                  - just-a-name
                stage_out:
                  - { from: out.csv }
                  - { from: out.csv, to: here.csv, when: sometimes }
                  - { from: out.csv, to: here.csv, optional: maybe }
                """), Map.of()), InvalidWorkflowException.class);

        assertThat(e.getMessage())
                .contains("stage.yaml:10:19: stage_in of task 'job': 'from': a glob may stand in the file name only,"
                        + " not in a directory: data/*/input.csv")
                .contains("stage.yaml:11:30: stage_in of task 'job': 'to': a path relative to the job directory must"
                        + " not contain '..': ../elsewhere/a.txt")
                .contains("stage.yaml:12:30: stage_in of task 'job': 'to': log is a file of the job protocol")
                .contains("stage.yaml:13:11: stage_in of task 'job' needs 'from:'")
                .contains("stage.yaml:14:26: unknown key 'mode' in stage_in of task 'job'")
                .contains("stage.yaml:15:11: stage_in of task 'job' must be a mapping")
                .contains("stage.yaml:17:11: stage_out of task 'job' needs 'to:', the local path the file goes to")
                .contains(
                        "stage.yaml:18:48: stage_out of task 'job': 'when' must be on_success or always, got 'sometimes'")
                .contains("stage.yaml:19:52: 'optional' in stage_out of task 'job' must be true or false, got 'maybe'");
    }

    @Test
    void stageInMustBeAList() {
        InvalidWorkflowException e =
                catchThrowableOfType(() -> loader.parse(FILE, workflow("""
                stage_in: data/input.csv
                """), Map.of()), InvalidWorkflowException.class);

        assertThat(e.getMessage())
                .contains("stage.yaml:9:17: stage_in of task 'job' must be a list of { from, to, optional }");
    }

    private static Object render(Object value) {
        if (value instanceof Template t) {
            return t.render(ref -> null);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(StagingYamlTest::render).toList();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), render(v)));
            return out;
        }
        return value;
    }
}
