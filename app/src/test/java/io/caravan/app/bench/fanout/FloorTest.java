package io.caravan.app.bench.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The floor reads back what its jobs really did: the figures it sets the others against are of correct runs. */
class FloorTest {
    @Test
    void everyJobsExitCodeAndLogComeBackAndNothingIsLeft() throws Exception {
        // a script's own exit ends the job with that code, stderr lands in the log too
        String script =
                "echo \"job $ITEM\"; if [ $((ITEM % 3)) = 0 ]; then exit $((ITEM + 3)); fi; echo \"err $ITEM\" >&2";
        try (Rig rig = new Rig(2)) {
            Floor.Run run = Floor.measure(rig, 10, script);

            assertThat(run.outcomes()).hasSize(10);
            for (Map.Entry<Integer, Floor.Outcome> e : run.outcomes().entrySet()) {
                int i = e.getKey();
                Floor.Outcome expected = i % 3 == 0
                        ? new Floor.Outcome(i + 3, "job " + i + "\n")
                        : new Floor.Outcome(0, "job " + i + "\nerr " + i + "\n");
                assertThat(e.getValue()).as("job %d", i).isEqualTo(expected);
            }
            assertThat(run.result().dirsLeft()).isZero();
            assertThat(run.result().handshakes()).isEqualTo(2);
            assertThat(run.result().execChannels()).isEqualTo(8);
        }
    }

    @Test
    void theBenchmarkCountsAJobWithTheWrongLogAsFailed() throws Exception {
        try (Rig rig = new Rig(1)) {
            assertThat(Floor.run(rig, 5).failedJobs()).isZero();
            Map<Integer, Floor.Outcome> wrong =
                    Floor.measure(rig, 3, "echo \"jab $ITEM\"").outcomes();
            assertThat(wrong.get(1).log()).isEqualTo("jab 1\n");
            assertThat(Floor.failed(wrong, 3)).isEqualTo(3);
        }
    }
}
