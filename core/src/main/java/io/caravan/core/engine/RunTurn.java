package io.caravan.core.engine;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.caravan.core.runs.RunState;
import io.caravan.core.storage.Run;
import io.caravan.core.storage.RunStore;
import io.caravan.core.workflow.RunLimits;

/**
 * A scheduled run of a workflow with {@code overlap: queue} waits, queued, while max_active_runs of its runs are
 * running or queued before it, so queued runs start in the order of their firings. Every node driving the run
 * waits alike; the database is asked once a second.
 */
final class RunTurn {
    private RunTurn() {}

    /** The run's end if it was ended while it waited (a cancel), else null: its turn came, or {@code stopping}. */
    static RunState await(Run run, RunLimits limits, RunStore store, BooleanSupplier stopping, Semaphore wake)
            throws InterruptedException {
        if (limits.overlap() != RunLimits.Overlap.QUEUE || !"schedule".equals(run.trigger())) {
            return null;
        }
        while (!stopping.getAsBoolean()) {
            RunState state = store.run(run.id()).map(Run::state).orElse(RunState.CANCELLED);
            if (state != RunState.QUEUED) {
                return state.finished() ? state : null;
            }
            if (!store.mustWaitTurn(run, limits.maxActiveRuns())) {
                return null;
            }
            wake.tryAcquire(1, TimeUnit.SECONDS);
        }
        return null;
    }
}
