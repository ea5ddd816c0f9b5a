package io.caravan.core.engine;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.caravan.core.notify.Notifier;
import io.caravan.core.runs.RunState;
import io.caravan.core.storage.Run;
import io.caravan.core.storage.RunStore;
import io.caravan.core.threads.DaemonThreads;
import io.caravan.core.workflow.Downstream;
import io.caravan.core.workflow.RunLimits;
import io.caravan.core.workflow.WorkflowDefinition;

/** Creates runs and drives them to their end on a pool of worker threads. */
public final class Engine implements AutoCloseable {
    private final RunStore store;
    private final EngineSettings settings;
    private final Clock clock;
    private final ExecutorService workers;
    /** What every run this engine drives shares. */
    private final EngineParts parts;

    private final Set<RunDriver> driving = ConcurrentHashMap.newKeySet();

    public Engine(RunStore store, TaskExecutors executors, EngineSettings settings, Clock clock) {
        this(store, executors, settings, clock, PoolDirectory.NONE, HostAdmission.OPEN);
    }

    /**
     * @param pools pools kept outside workflows, for tasks that target one
     * @param admission the hosts this engine may start attempts on (all of them, unless it shares them in a cluster)
     */
    public Engine(
            RunStore store,
            TaskExecutors executors,
            EngineSettings settings,
            Clock clock,
            PoolDirectory pools,
            HostAdmission admission) {
        this(store, executors, settings, clock, pools, admission, Notifier.NONE);
    }

    /** @param notifier where on_failure, on_success, on_retry and on_late notifications go */
    public Engine(
            RunStore store,
            TaskExecutors executors,
            EngineSettings settings,
            Clock clock,
            PoolDirectory pools,
            HostAdmission admission,
            Notifier notifier) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.workers = Executors.newFixedThreadPool(settings.workers(), DaemonThreads.numbered("caravan-worker"));
        this.parts = new EngineParts(store, executors, settings, clock, workers, pools, admission, notifier);
    }

    /** A new run of the workflow; {@code sourceYaml} is kept so the run can be resumed as it began. */
    public Run create(WorkflowDefinition workflow, String trigger, String sourceYaml) {
        return store.createRun(
                workflow.id(),
                trigger,
                Json.write(workflow.params()),
                workflow.source() == null ? null : workflow.source().toString(),
                sourceYaml,
                workflow.tasks().keySet().stream().toList(),
                clock.instant());
    }

    /** A schedule's run for one cron slot; empty when another engine created that slot's run already. */
    public Optional<Run> createScheduled(WorkflowDefinition workflow, Instant slot, String sourceYaml) {
        RunLimits limits = workflow.limits();
        int skipAt = limits.overlap() == RunLimits.Overlap.SKIP ? limits.maxActiveRuns() : 0;
        return store.createFiringRun(
                workflow.id(),
                slot,
                skipAt,
                Json.write(workflow.params()),
                workflow.source() == null ? null : workflow.source().toString(),
                sourceYaml,
                workflow.tasks().keySet().stream().toList(),
                clock.instant());
    }

    /** A run for one cron slot started by {@code trigger} (a backfill); empty when that slot has its run already. */
    public Optional<Run> createForSlot(WorkflowDefinition workflow, String trigger, Instant slot, String sourceYaml) {
        return store.createSlotRun(
                workflow.id(),
                trigger,
                slot,
                Json.write(workflow.params()),
                workflow.source() == null ? null : workflow.source().toString(),
                sourceYaml,
                workflow.tasks().keySet().stream().toList(),
                clock.instant());
    }

    /** Drives the run until it ends; returns its end state, or null if {@link #stopRuns()} came first. */
    public RunState run(Run run, WorkflowDefinition workflow, RunListener listener) throws InterruptedException {
        RunDriver driver = new RunDriver(parts, new RunScope(run, workflow, listener));
        driving.add(driver);
        try {
            return driver.drive();
        } finally {
            driving.remove(driver);
        }
    }

    /** Every run this engine drives stops at its next tick, handing back what it holds. */
    public void stopRuns() {
        driving.forEach(RunDriver::stop);
    }

    /** Continues a run whose engine died: its running attempts start again, succeeded tasks stay done. */
    public RunState resume(Run run, WorkflowDefinition workflow, RunListener listener) throws InterruptedException {
        store.recovery().reclaimRun(run.id(), clock.instant());
        return run(run, workflow, listener);
    }

    /**
     * Takes an ended run up again if its failed items left their jobs on a host that was given up on: those
     * items get their same attempt back, so resuming adopts the jobs. How many items were taken up (0: the run
     * cannot be resumed).
     */
    public int takeUpLeftOnHost(Run run, WorkflowDefinition workflow) {
        return store.recovery()
                .takeUpLeftOnHost(run.id(), task -> Downstream.of(workflow, task), settings.owner(), clock.instant());
    }

    public RunStore store() {
        return store;
    }

    @Override
    public void close() {
        stopRuns();
        workers.shutdownNow();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
