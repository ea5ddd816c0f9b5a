package io.caravan.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.caravan.app.fixtures.CaravanRuns;
import io.caravan.app.fixtures.TempCaravanHome;
import io.caravan.core.engine.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fan-out benchmark runs end to end (tiny N: the figures themselves belong in the README, not in a test). */
class FanoutBenchTest {
    @RegisterExtension
    final TempCaravanHome caravanHome = new TempCaravanHome();

    @Test
    void everyApproachRunsTheSameJobsAndCaravanLeavesNothingBehind() throws Exception {
        Path json = caravanHome.home().resolve("fanout.json");
        CaravanRuns.Result r =
                CaravanRuns.cli("bench", "fanout", "--jobs", "6", "--parallel", "6", "--json", json.toString());

        assertThat(r.exit()).as(r.out()).isZero();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) Json.read(Files.readString(json));
        assertThat(rows)
                .extracting(row -> row.get("approach").toString().substring(0, 1))
                .containsExactly("A", "F", "G", "R", "B", "C", "D");
        Map<String, Object> a = rows.get(0);
        assertThat(a)
                .containsEntry("jobs", 6)
                .containsEntry("failed_jobs", 0)
                .containsEntry("dirs_left", 0)
                .containsEntry("maxstartups_drops", 0);
        assertThat(((Number) a.get("handshakes")).intValue()).isBetween(1, 2);
        assertThat(rows.get(1))
                .containsEntry("failed_jobs", 0)
                .containsEntry("dirs_left", 0)
                .containsEntry("exec_channels", 4)
                .containsEntry("wall_ratio_to_f", 1.0);
        assertThat(a.get("wall_ratio_to_f")).isInstanceOf(Number.class);
        assertThat(rows.get(2))
                .as("G: the floor keeping the job contract")
                .containsEntry("failed_jobs", 0)
                .containsEntry("dirs_left", 0)
                .containsEntry("exec_channels", 4);
        assertThat(rows.get(3))
                .as("R: the same workflow through a caravan run process of its own")
                .containsEntry("failed_jobs", 0)
                .containsEntry("dirs_left", 0)
                .containsEntry("maxstartups_drops", 0);
        // the per-command approaches log in once per command: at least submit, one poll, collect, cleanup per job
        assertThat(((Number) rows.get(5).get("handshakes")).intValue()).isGreaterThanOrEqualTo(4 * 6);
    }
}
