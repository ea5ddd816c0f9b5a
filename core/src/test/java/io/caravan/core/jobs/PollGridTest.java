package io.caravan.core.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** When a host's polls are due: on its own phase of the interval, one per interval, never back to back. */
class PollGridTest {
    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration EARLY = Duration.ofMillis(5);
    private static final Instant T0 = Instant.ofEpochSecond(1_000_000);

    private static Instant at(long millis) {
        return T0.plusMillis(millis);
    }

    /** The first moment in [from, from + 3 s) at which the grid is due, to the millisecond. */
    private static long firstDue(PollGrid grid, long from) {
        for (long t = from; t < from + 3_000; t++) {
            if (grid.due(at(t), SECOND, EARLY)) {
                return t;
            }
        }
        throw new AssertionError("never due");
    }

    @Test
    void theFirstPollIsDueAtOnceThenOnePerIntervalAtTheHostsPhase() {
        PollGrid grid = new PollGrid();
        grid.phase(0.25);
        assertThat(grid.due(at(0), SECOND, EARLY)).isTrue();

        grid.polled(at(0), at(40));
        long second = firstDue(grid, 40);
        assertThat(second + 5)
                .as("the first point of its grid half an interval on")
                .isEqualTo(1_250);
        grid.polled(at(second), at(second + 40));
        assertThat(firstDue(grid, second + 40) - second)
                .as("then one interval apart")
                .isEqualTo(1_000);
    }

    @Test
    void hostsStartedTogetherPollAtTheirOwnPhases() {
        PollGrid a = new PollGrid();
        PollGrid b = new PollGrid();
        a.phase(0.0);
        b.phase(0.5);
        a.polled(at(0), at(10));
        b.polled(at(0), at(10));
        assertThat(Math.abs(firstDue(a, 10) - firstDue(b, 10))).isEqualTo(500);
    }

    @Test
    void aHostAnsweringSlowerThanItsIntervalIsNotPolledBackToBack() {
        PollGrid grid = new PollGrid();
        grid.polled(at(0), at(1_300));
        long next = firstDue(grid, 1_300);
        assertThat(next + 5).as("the grid point after the answer, not at once").isEqualTo(2_000);
    }

    @Test
    void aPhaseIsAFractionOfTheInterval() {
        PollGrid grid = new PollGrid();
        assertThatThrownBy(() -> grid.phase(1.0)).isInstanceOf(IllegalArgumentException.class);
    }
}
