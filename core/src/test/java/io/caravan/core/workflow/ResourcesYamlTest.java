package io.caravan.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Issue 18, resource requests: {@code resources:} as a workflow writes it, and every bad value at its place. */
class ResourcesYamlTest {
    private static final Path FILE = Path.of("res.yaml");
    private final WorkflowLoader loader = new WorkflowLoader(TaskKinds.builtIn());

    @Test
    void aTasksResourcesAreReadOverTheDefaultsFieldByField() throws Exception {
        WorkflowDefinition w = loader.parse(FILE, """
                workflow: res
                connections: { h: { host: 127.0.0.1, user: u } }
                defaults:
                  target: h
                  resources: { cpus: 4, time: 1h }
                tasks:
                  train:
                    resources:
                      mem: [4G, 8G, 16G]
                      gpus: { count: 2, type: h100 }
                    remote_job: { command: "true" }
                  plain:
                    remote_job: { command: "true" }
                  local:
                    shell: "true"
                """, Map.of());

        Resources train = w.tasks().get("train").resources();
        assertThat(train.forAttempt(1))
                .isEqualTo(
                        new ResourceRequest(4, MemorySize.parse("4G"), new GpuRequest(2, "h100"), Duration.ofHours(1)));
        assertThat(train.forAttempt(2).mem()).isEqualTo(MemorySize.ofMegabytes(8192));
        assertThat(train.forAttempt(3).mem().toString()).isEqualTo("16G");
        assertThat(train.forAttempt(7).mem().toString())
                .as("the last value repeats")
                .isEqualTo("16G");
        assertThat(w.tasks().get("plain").resources().forAttempt(1))
                .isEqualTo(new ResourceRequest(4, null, null, Duration.ofHours(1)));
        assertThat(w.tasks().get("local").resources())
                .as("a shell task has no place to ask of")
                .isEqualTo(Resources.NONE);
    }

    @Test
    void gpusTakeACountOrACountAndAType() throws Exception {
        WorkflowDefinition w = loader.parse(FILE, """
                workflow: res
                connections: { h: { host: 127.0.0.1, user: u } }
                tasks:
                  a: { target: h, resources: { gpus: 2, cpus: [1, 2] }, remote_job: { command: "true" } }
                  b: { target: h, resources: { gpus: [1, { count: 4, type: a100_80g }] }, remote_job: { command: "true" } }
                """, Map.of());

        assertThat(w.tasks().get("a").resources().forAttempt(1).gpus()).isEqualTo(GpuRequest.of(2));
        assertThat(w.tasks().get("a").resources().forAttempt(2).cpus()).isEqualTo(2);
        assertThat(w.tasks().get("b").resources().forAttempt(1).gpus()).isEqualTo(GpuRequest.of(1));
        assertThat(w.tasks().get("b").resources().forAttempt(2).gpus()).isEqualTo(new GpuRequest(4, "a100_80g"));
    }

    @Test
    void aBadUnitOrANonPositiveValueIsRefusedAtItsLineAndColumn() {
        InvalidWorkflowException e =
                catchThrowableOfType(() -> loader.parse(FILE, """
                workflow: res
                connections: { h: { host: 127.0.0.1, user: u } }
                defaults:
                  resources: { cpus: 0 }
                tasks:
                  a:
                    target: h
                    resources:
                      mem: [4G, 8X]
                      cpus: two
                      time: 0s
                      gpus: { count: -1 }
                    remote_job: { command: "true" }
                  b:
                    target: h
                    resources: { mem: 4096, gpus: { type: "h100; rm" }, disk: 1G, time: [] }
                    remote_job: { command: "true" }
                  c:
                    resources: { mem: 0M }
                    shell: "true"
                """, Map.of()), InvalidWorkflowException.class);

        assertThat(e.getMessage())
                .contains("res.yaml:4:22: 'cpus' in resources of defaults must be a whole number >= 1, got '0'")
                .contains(
                        "res.yaml:9:17: 'mem' in resources of task 'a': bad memory size '8X': use a number with a unit,"
                                + " K, M, G or T, e.g. 512M, 4G, 1.5G")
                .contains("res.yaml:10:13: 'cpus' in resources of task 'a' must be a whole number >= 1, got 'two'")
                .contains("res.yaml:11:13: 'time' in resources of task 'a' must be more than 0, got '0s'")
                .contains(
                        "res.yaml:12:22: 'count' in gpus of resources of task 'a' must be a whole number >= 1, got '-1'")
                .contains("res.yaml:16:23: 'mem' in resources of task 'b': bad memory size '4096'")
                .contains("res.yaml:16:35: gpus of resources of task 'b' needs 'count:'")
                .contains("res.yaml:16:57: unknown key 'disk' in resources of task 'b'")
                .contains("res.yaml:16:73: 'time' in resources of task 'b' is an empty list")
                .contains("res.yaml:19:5: task 'c': resources: apply to job tasks");
    }

    @Test
    void memorySizesReadAsSlurmCountsThem() {
        assertThat(MemorySize.parse("512M").bytes()).isEqualTo(512L << 20);
        assertThat(MemorySize.parse("4G").megabytes()).isEqualTo(4096);
        assertThat(MemorySize.parse("1.5G").toString()).isEqualTo("1536M");
        assertThat(MemorySize.parse("4GiB")).isEqualTo(MemorySize.parse("4g"));
        assertThat(MemorySize.parse("100K").megabytes()).as("rounded up").isEqualTo(1);
        assertThatThrownBy(() -> MemorySize.parse("0G")).hasMessageContaining("must be more than 0");
        assertThatThrownBy(() -> MemorySize.parse("2048T")).hasMessageContaining("too large");
        assertThatThrownBy(() -> MemorySize.parse("-1G")).hasMessageContaining("bad memory size '-1G'");
    }
}
