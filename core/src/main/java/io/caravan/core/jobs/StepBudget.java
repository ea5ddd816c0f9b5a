package io.caravan.core.jobs;

import java.time.Instant;

import io.caravan.core.ssh.Backoff;

/**
 * How many failed steps a host may still have: each failure makes the next poll wait a jittered back-off; when the
 * budget is spent, or at once for a fault no retry mends, the host is given up on and the budget starts afresh.
 */
final class StepBudget {
    private final Backoff backoff;
    private int failures;
    private Instant retryAt = Instant.EPOCH;

    StepBudget(Backoff backoff) {
        this.backoff = backoff;
    }

    /** Counts a failed step; whether the budget is spent by it (the host is to be given up on). */
    synchronized boolean failed(JobFault fault, Instant now) {
        failures++;
        boolean spent = (fault != JobFault.TRANSIENT && fault != JobFault.JOB) || backoff.exhausted(failures);
        if (!spent) {
            retryAt = now.plus(backoff.delayBeforeRetry(failures));
            return false;
        }
        failures = 0;
        retryAt = now.plus(backoff.delayBeforeRetry(1));
        return true;
    }

    /** A step went through: the failures before it no longer count. */
    synchronized void succeeded() {
        failures = 0;
    }

    /** Whether the back-off after the last failure is over. */
    synchronized boolean open(Instant now) {
        return !now.isBefore(retryAt);
    }
}
