package io.caravan.core.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.IntStream;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 5);

    @RepeatedTest(20)
    void delaysGrowExponentiallyWithJitterBetweenHalfAndTheCeiling() {
        assertThat(backoff.delayBeforeRetry(1)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(backoff.delayBeforeRetry(2)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(backoff.delayBeforeRetry(3)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
    }

    @Test
    void delaysStopAtTheCapEvenAfterManyFailures() {
        assertThat(backoff.delayBeforeRetry(10)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(backoff.delayBeforeRetry(500)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    @Test
    void jitterSpreadsCallersThatFailedTogether() {
        long distinct = IntStream.range(0, 50)
                .mapToObj(i -> backoff.delayBeforeRetry(4))
                .distinct()
                .count();
        assertThat(distinct).isGreaterThan(25);
    }

    @Test
    void theAttemptCapIsCounted() {
        assertThat(backoff.exhausted(4)).isFalse();
        assertThat(backoff.exhausted(5)).isTrue();
    }

    @Test
    void nonsenseIsRejected() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 3))
                .hasMessageContaining("base <= cap");
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 0))
                .hasMessageContaining("maxAttempts");
    }

    @Test
    void theBudgetResetsOnlyWhenToldAndRunsOut() {
        ReconnectBudget budget = new ReconnectBudget(new Backoff(Duration.ofMillis(1), Duration.ofMillis(2), 3));
        assertThat(budget.failed()).isPresent();
        assertThat(budget.failed()).isPresent();
        assertThat(budget.failed()).isEmpty();
        budget.succeeded();
        assertThat(budget.failures()).isZero();
        assertThat(budget.failed()).isPresent();
    }
}
