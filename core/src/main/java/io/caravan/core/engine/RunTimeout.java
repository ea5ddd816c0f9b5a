package io.caravan.core.engine;

import java.time.Duration;
import java.time.Instant;

import io.caravan.core.storage.Run;
import io.caravan.core.storage.RunStore;
import io.caravan.core.workflow.Durations;

/**
 * A workflow's {@code timeout:}, counted from the run's first start (a resumed run keeps it: the timeout is the
 * run's, not one engine's). Due once, when the loop's tick finds it passed.
 */
final class RunTimeout {
    private final Duration timeout;
    private Instant deadline;

    /** Read once the run has started; none for a workflow without a timeout. */
    RunTimeout(Duration timeout, RunStore store, String runId, Instant now) {
        this.timeout = timeout;
        this.deadline = timeout == null
                ? null
                : store.run(runId).map(Run::startedAt).orElse(now).plus(timeout);
    }

    /** True the first time {@code now} is past the deadline. */
    boolean due(Instant now) {
        if (deadline == null || now.isBefore(deadline)) {
            return false;
        }
        deadline = null;
        return true;
    }

    String reason() {
        return "timed out: the run took longer than its timeout of " + Durations.format(timeout);
    }
}
