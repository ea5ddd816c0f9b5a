package io.caravan.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PoolCapacityYamlTest {
    private static final Path FILE = Path.of("gpus.yaml");
    private final WorkflowLoader loader = new WorkflowLoader(TaskKinds.builtIn());

    private static final String CONNECTIONS = """
            connections:
              gpu1: { host: a, user: u }
              gpu2: { host: b, user: u }
              cpu1: { host: c, user: u }
            """;

    @Test
    void aPoolHostDeclaresItsGpusCpusAndMemoryOrReadsItsGpus() throws Exception {
        WorkflowDefinition w = loader.parse(FILE, "workflow: train\n" + CONNECTIONS + """
                pools:
                  rigs:
                    slots: 8
                    hosts:
                      - { connection: gpu1, gpus: 4, gpu_type: h100, cpus: 32, mem: 256G }
                      - { connection: gpu2, gpus: auto }
                      - cpu1
                tasks:
                  load: { shell: "true" }
                """, Map.of());

        PoolDefinition rigs = w.pools().get("rigs");
        assertThat(rigs.hosts()).containsExactly("gpu1", "gpu2", "cpu1");
        assertThat(rigs.slots()).isEqualTo(8);
        assertThat(rigs.capacity("gpu1"))
                .isEqualTo(new HostCapacity(List.of(0, 1, 2, 3), false, "h100", 32, MemorySize.parse("256G")));
        assertThat(rigs.capacity("gpu2").gpusAuto()).isTrue();
        assertThat(rigs.capacity("gpu2").gpus()).isEmpty();
        assertThat(rigs.capacity("cpu1")).isEqualTo(HostCapacity.NONE);
        assertThat(rigs.capacity("gpu1").describe()).isEqualTo("gpus 4 (h100), cpus 32, mem 256G");
    }

    @Test
    void badCapacitiesAreRefusedAtTheirPlace() {
        InvalidWorkflowException e = catchThrowableOfType(
                () -> loader.parse(FILE, "workflow: train\n" + CONNECTIONS + """
                pools:
                  rigs:
                    hosts:
                      - { connection: gpu1, gpus: many, mem: 4 }
                      - { gpus: 2 }
                      - { connection: gpu2, cpu: 3 }
                tasks:
                  load: { shell: "true" }
                """, Map.of()),
                InvalidWorkflowException.class);

        assertThat(e.getMessage())
                .contains("gpus.yaml:9:35: 'gpus' in a host of pool 'rigs' must be a whole number >= 0, got 'many'")
                .contains("gpus.yaml:9:46: 'mem' in a host of pool 'rigs': bad memory size '4'")
                .contains("gpus.yaml:10:9: a host of pool 'rigs' needs 'connection:'")
                .contains("gpus.yaml:11:29: unknown key 'cpu' in a host of pool 'rigs' (did you mean 'cpus'?)");
    }
}
