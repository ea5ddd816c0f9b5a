package io.caravan.app.bench.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

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
    void theContractFloorKeepsExitCodesPastTheScriptsOwnTrapAndRunsEachJobInItsOwnGroup() throws Exception {
        // the script replaces any EXIT trap and exits: the contract's subshell still writes the exit file
        String script = "trap 'echo trapped' EXIT; echo \"job $ITEM\"; echo \"$$ $(ps -o pgid= -p $$)\" > ../pg.$ITEM;"
                + " exit $((ITEM % 2))";
        try (Rig rig = new Rig(1)) {
            Floor.Run run = Floor.measure(rig, 4, script, Floor.Start.CONTRACT);

            for (int i = 0; i < 4; i++) {
                assertThat(run.outcomes().get(i))
                        .as("job %d", i)
                        .isEqualTo(new Floor.Outcome(i % 2, "job " + i + "\ntrapped\n"));
            }
            assertThat(run.result().approach()).isEqualTo(Floor.CONTRACT_NAME);
            assertThat(run.result().dirsLeft()).isZero();
            Set<String> groups = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                String[] pidAndGroup = Files.readString(rig.base(0, "g").resolve("pg." + i))
                        .strip()
                        .split("\\s+");
                groups.add(pidAndGroup[1]);
            }
            assertThat(groups).as("a process group per job").hasSize(4);
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
