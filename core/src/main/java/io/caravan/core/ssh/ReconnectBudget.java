package io.caravan.core.ssh;

import java.time.Duration;
import java.util.Optional;

/**
 * Consecutive transport failures of one logical loop. Only a complete successful operation resets it:
 * a handshake that succeeds and a command that then dies does not, so a host that accepts connections
 * but kills them still runs out of budget.
 */
final class ReconnectBudget {
    private final Backoff backoff;
    private int failures;

    ReconnectBudget(Backoff backoff) {
        this.backoff = backoff;
    }

    /** Counts a failure; the delay before the next try, or empty when the budget is spent. */
    synchronized Optional<Duration> failed() {
        failures++;
        return backoff.exhausted(failures) ? Optional.empty() : Optional.of(backoff.delayBeforeRetry(failures));
    }

    synchronized void succeeded() {
        failures = 0;
    }

    synchronized int failures() {
        return failures;
    }
}
