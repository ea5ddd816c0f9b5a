package io.caravan.plugins.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.spi.JobStatus;
import io.caravan.spi.JobStatus.JobState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every Slurm state the issue names, as the engine sees it (the real cluster test covers CANCELLED and TIMEOUT). */
class SlurmStatesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "PENDING, RUNNING, false",
        "RUNNING, RUNNING, false",
        "COMPLETED, RUNNING, false",
        "FAILED, LOST, true",
        "TIMEOUT, LOST, true",
        "CANCELLED, LOST, false",
        "CANCELLED by 0, LOST, false",
        "NODE_FAIL, LOST, true",
        "OUT_OF_MEMORY, LOST, true",
        "PREEMPTED, LOST, true"
    })
    void aSlurmStateWithoutAnExitCodeMapsToAJobState(String slurmState, JobState expected, boolean retryable) {
        JobStatus s = SlurmStates.status("job", null, "7_1", slurmState, 0);

        assertThat(s.state()).isEqualTo(expected);
        if (expected == JobState.LOST) {
            assertThat(s.retryable()).isEqualTo(retryable);
            assertThat(s.detail()).contains(slurmState.split(" ")[0]);
        }
    }

    @Test
    void tooLittleMemoryOrTimeSaysSoAndWhatARetryCanAskFor() {
        assertThat(SlurmStates.status("job", null, "7_1", "OUT_OF_MEMORY", 0).detail())
                .isEqualTo("Slurm job 7_1 OUT_OF_MEMORY: Slurm killed it for using more memory than it asked for"
                        + " (resources: mem:; a list like mem: [4G, 8G] asks for more on each retry)");
        assertThat(SlurmStates.status("job", null, "7_1", "TIMEOUT", 0).detail())
                .contains("at its time limit");
    }

    @ParameterizedTest(name = "exit {0}")
    @CsvSource({"0", "3"})
    void theJobsOwnExitCodeWinsOverTheSlurmState(int code) {
        assertThat(SlurmStates.status("job", code, "7_1", "FAILED", 5))
                .isEqualTo(new JobStatus("job", JobState.EXITED, code, 5));
    }
}
