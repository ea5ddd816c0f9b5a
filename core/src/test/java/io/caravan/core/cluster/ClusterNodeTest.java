package io.caravan.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import io.caravan.core.runs.TaskState;
import io.caravan.core.storage.ClusterStore;
import io.caravan.core.storage.Database;
import io.caravan.core.storage.DatabaseConfig;
import io.caravan.core.storage.HostLease;
import io.caravan.core.storage.Run;
import io.caravan.core.storage.RunStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two nodes on one database, beating by hand on a clock the test moves: ownership, balance, takeover. */
class ClusterNodeTest {
    // beats are driven by the test: the scheduled ones would come after an hour
    private static final ClusterSettings SETTINGS = new ClusterSettings(Duration.ofHours(1), Duration.ofHours(3));

    @TempDir
    Path home;

    private Database db;
    private RunStore runs;
    private ClusterStore store;
    private final MovingClock clock = new MovingClock(Instant.parse("2026-11-28T08:00:00Z"));

    @BeforeEach
    void open() {
        db = Database.open(DatabaseConfig.embedded(home));
        runs = new RunStore(db);
        store = new ClusterStore(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aLoneNodeOwnsEveryHostAndANewcomerGetsItsShareOfIdleOnes() {
        ClusterNode first = ClusterNode.join("n1", store, runs, SETTINGS, clock);
        assertThat(Stream.of("h1:22", "h2:22", "h3:22").map(first::mayUse)).containsOnly(true);

        clock.move(Duration.ofMinutes(1));
        ClusterNode second = ClusterNode.join("n2", store, runs, SETTINGS, clock);
        assertThat(second.mayUse("h1:22")).as("n1 holds it").isFalse();
        first.beat(); // n1 owns three hosts, n2 none: it gives one idle host up
        clock.move(SETTINGS.heartbeat()); // n2 asks the database again only a beat later
        assertThat(Stream.of("h1:22", "h2:22", "h3:22").filter(second::mayUse)).hasSize(1);
        first.beat();
        assertThat(owners())
                .as("two and one: within one of each other, nothing more moves")
                .containsOnly("n1", "n2")
                .filteredOn("n1"::equals)
                .hasSize(2);
        first.close();
        second.close();
    }

    @Test
    void aBusyHostStaysWithItsOwner() {
        ClusterNode first = ClusterNode.join("n1", store, runs, SETTINGS, clock);
        Stream.of("h1:22", "h2:22", "h3:22").forEach(first::mayUse);
        Run run = runs.createRun("wf", "manual", "{}", null, "workflow: wf", List.of("a"), clock.instant());
        runs.makeReady(run.id(), "a", List.of("0", "1", "2"), 1, clock.instant());
        runs.attempts().claim(run.id(), "a", 3, "n1", Duration.ofHours(1), clock.instant());
        for (int i = 0; i < 3; i++) {
            runs.placements().placedOn(run.id(), "a", i, "h" + (i + 1) + ":22");
        }
        ClusterNode.join("n2", store, runs, SETTINGS, clock);

        first.beat();
        assertThat(owners())
                .as("jobs run on every host of n1: none is given up")
                .containsOnly("n1");
    }

    @Test
    void aDeadNodesHostsAndAttemptsGoToTheLiveOnes() {
        ClusterNode first = ClusterNode.join("n1", store, runs, SETTINGS, clock);
        ClusterNode second = ClusterNode.join("n2", store, runs, SETTINGS, clock);
        assertThat(second.mayUse("h1:22")).isTrue();
        Run run = runs.createRun("wf", "manual", "{}", null, "workflow: wf", List.of("a"), clock.instant());
        runs.makeReady(run.id(), "a", List.of("0"), 1, clock.instant());
        runs.attempts().claim(run.id(), "a", 1, "n2", Duration.ofDays(1), clock.instant());
        runs.placements().placedOn(run.id(), "a", 0, "h1:22");
        assertThat(first.mayUse("h1:22")).isFalse();

        clock.move(SETTINGS.ttl().plusSeconds(1)); // n2 stays silent
        first.beat();

        assertThat(first.liveNodes()).containsExactly("n1");
        assertThat(runs.counts(run.id(), "a"))
                .as("handed back at once, not when its day-long lease ends")
                .containsEntry(TaskState.READY, 1L);
        assertThat(first.mayUse("h1:22")).as("n2's lease on h1 lapsed").isTrue();
        assertThat(runs.attempts()
                        .claim(run.id(), "a", 1, List.of("h1:22"), null, "n1", Duration.ofHours(1), clock.instant()))
                .singleElement()
                .satisfies(c -> {
                    assertThat(c.attempt())
                            .as("the same attempt: the job is adopted")
                            .isEqualTo(1);
                    assertThat(c.host()).isEqualTo("h1:22");
                });
        first.close();
    }

    @Test
    void aNodeFoundGoneThatBeatsAgainIsTakenOverAgainWhenItReallyDies() {
        ClusterNode first = ClusterNode.join("n1", store, runs, SETTINGS, clock);
        ClusterNode second = ClusterNode.join("n2", store, runs, SETTINGS, clock);
        Run run = runs.createRun("wf", "manual", "{}", null, "workflow: wf", List.of("a"), clock.instant());
        runs.makeReady(run.id(), "a", List.of("0"), 1, clock.instant());
        runs.attempts().claim(run.id(), "a", 1, "n2", Duration.ofDays(1), clock.instant());

        clock.move(SETTINGS.ttl().plusSeconds(1)); // n2 only slow: a long pause, say
        first.beat();
        assertThat(runs.counts(run.id(), "a")).containsEntry(TaskState.READY, 1L);
        second.beat(); // back, and it claims the item again
        runs.attempts().claim(run.id(), "a", 1, "n2", Duration.ofDays(1), clock.instant());
        first.beat();
        assertThat(first.liveNodes()).containsExactly("n1", "n2");

        clock.move(SETTINGS.ttl().plusSeconds(1)); // now n2 is gone for good
        first.beat();
        assertThat(runs.counts(run.id(), "a"))
                .as("handed back again, not left to its day-long lease")
                .containsEntry(TaskState.READY, 1L);
        first.close();
    }

    private List<String> owners() {
        return store.leases().stream().map(HostLease::nodeId).toList();
    }

    /** A clock the test moves by hand. */
    private static final class MovingClock extends Clock {
        private Instant now;

        MovingClock(Instant start) {
            this.now = start;
        }

        void move(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
