package io.caravan.app.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.caravan.app.fixtures.CaravanRuns;
import io.caravan.testkit.OpenSshExtension;
import io.caravan.testkit.OpenSshServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Remote-job acceptance 6: a pool's hosts never run more jobs at once than their slots. */
class HostPoolOpenSshTest {
    @RegisterExtension
    static final OpenSshExtension FIRST = OpenSshExtension.defaults();

    @RegisterExtension
    static final OpenSshExtension SECOND = OpenSshExtension.defaults();

    @TempDir
    Path home;

    private Path events;
    private Path base;

    @BeforeEach
    void home() throws Exception {
        System.setProperty("caravan.home", home.toString());
        events = home.resolve("events.log");
        base = Files.createDirectories(home.resolve("jobs"));
    }

    @AfterEach
    void clear() {
        System.clearProperty("caravan.home");
    }

    /** Each job notes its start and end with the sshd port it runs under (SSH_CONNECTION's last field). */
    private String script() {
        return "p=${SSH_CONNECTION##* }; echo \"+ $p\" >> %1$s; sleep 1; echo \"- $p\" >> %1$s".formatted(events);
    }

    @Test
    void aPoolOfTwoHostsWithThreeSlotsNeverRunsMoreThanThreeJobsOnEither() throws Exception {
        CaravanRuns.Result r = new CaravanRuns(home).run("pool", """
                workflow: pooled
                connections:
                %s%s
                pools:
                  gpus: { hosts: [first, second], slots: 3 }
                tasks:
                  shard:
                    target: gpus
                    expand: { range: 24 }
                    max_active: 24
                    remote_job:
                      script: '%s'
                      workdir_base: %s
                      poll_interval: 200ms
                """.formatted(
                        CaravanRuns.connection("first", FIRST.server()),
                        CaravanRuns.connection("second", SECOND.server()),
                        script(),
                        base));

        assertThat(r.exit()).as(r.out()).isZero();
        Map<String, Integer> peaks = peaks();
        assertThat(peaks).containsOnlyKeys(port(FIRST.server()), port(SECOND.server()));
        assertThat(peaks.values()).allSatisfy(peak -> assertThat(peak).isBetween(1, 3));
        assertThat(peaks.values().stream().mapToInt(Integer::intValue).sum())
                .as("both hosts used to the full")
                .isEqualTo(6);
    }

    @Test
    void aStoredPoolTakesItsSlotsFromPoolAddSsh() throws Exception {
        OpenSshServer server = FIRST.server();
        CaravanRuns.Result added = CaravanRuns.addSshPool("batch", server, "--slots", "2");
        assertThat(added.exit()).as(added.out()).isZero();

        CaravanRuns.Result r = new CaravanRuns(home).run("stored", """
                workflow: stored-pool
                tasks:
                  shard:
                    target: batch
                    expand: { range: 8 }
                    max_active: 8
                    remote_job:
                      script: '%s'
                      workdir_base: %s
                      poll_interval: 200ms
                """.formatted(script(), base));

        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(peaks()).containsExactly(Map.entry(port(server), 2));
        assertThat(CaravanRuns.cli("pool", "ps").out()).contains("0 busy/2 free");
    }

    /** The most jobs running at once per port, replaying the start and end notes in the order they were written. */
    private Map<String, Integer> peaks() throws Exception {
        Map<String, Integer> running = new HashMap<>();
        Map<String, Integer> peaks = new HashMap<>();
        List<String> lines = Files.readAllLines(events);
        assertThat(lines).hasSizeGreaterThan(0);
        for (String line : lines) {
            String port = line.substring(2);
            int now = running.merge(port, line.startsWith("+") ? 1 : -1, Integer::sum);
            peaks.merge(port, now, Math::max);
        }
        return peaks;
    }

    private static String port(OpenSshServer server) {
        return String.valueOf(server.port());
    }
}
