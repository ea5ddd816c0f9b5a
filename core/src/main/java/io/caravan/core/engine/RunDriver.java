package io.caravan.core.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.caravan.core.runs.RunState;
import io.caravan.core.runs.TaskState;
import io.caravan.core.storage.Run;
import io.caravan.core.storage.RunStore;
import io.caravan.core.storage.RunTask;
import io.caravan.core.workflow.TaskDefinition;
import io.caravan.core.workflow.WorkflowDefinition;

/**
 * Drives one run to its end: each pass makes ready the tasks whose upstream has ended ({@link PendingTasks}), closes
 * tasks whose instances have all ended ({@link TaskCloser}) and starts the attempts the others may run now
 * ({@link AttemptDispatch}); the run ends when every task has. Wakes when an attempt's end is recorded, or each tick
 * to pick up retries that came due, a cancel or a timeout, and to renew its leases.
 */
final class RunDriver {
    /** How long an ended run waits for its killed attempts: a poll interval and a kill's TERM grace, with room. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(30);

    private final RunScope scope;
    private final RunStore store;
    private final EngineSettings settings;
    private final Clock clock;
    private final RunNotices notices;
    private final InFlight inFlight = new InFlight();
    private final PendingTasks pending;
    private final TaskCloser closer;
    private final AttemptDispatch dispatch;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean stopping;
    private Instant lastRenewal;
    private Instant lastCancelCheck = Instant.MIN;
    private RunTimeout timeout;

    RunDriver(EngineParts parts, RunScope scope) {
        this.scope = scope;
        this.store = parts.store();
        this.settings = parts.settings();
        this.clock = parts.clock();
        Run run = scope.run();
        WorkflowDefinition workflow = scope.workflow();
        RunValues values = new RunValues(
                run.id(),
                run.workflowId(),
                scope.logicalDate(),
                workflow.params(),
                new UpstreamOutputs(store, run.id()));
        this.notices = new RunNotices(run.id(), workflow, parts.notifier(), values, scope.slaStart(clock.instant()));
        this.closer = new TaskCloser(store, run.id(), clock, scope.listener(), notices);
        this.pending = new PendingTasks(store, run.id(), clock, scope.listener(), notices, values, closer);
        AttemptRecorder recorder = new AttemptRecorder(store, settings, clock, scope.listener(), notices);
        Targets targets = new Targets(workflow, parts.pools());
        this.dispatch = new AttemptDispatch(
                parts,
                scope,
                notices,
                targets,
                new Invocations(run.id(), values, targets, recorder::logFile),
                recorder,
                inFlight,
                wake::release);
        this.lastRenewal = clock.instant();
    }

    /** The run's end state, or null when {@link #stop()} ended the drive first. */
    RunState drive() throws InterruptedException {
        String runId = scope.id();
        RunListener listener = scope.listener();
        RunState endedQueued = RunTurn.await(scope.run(), scope.workflow().limits(), store, () -> stopping, wake);
        if (stopping) {
            return null;
        }
        if (endedQueued != null) {
            listener.runEnded(endedQueued);
            return endedQueued;
        }
        store.startRun(runId, clock.instant());
        timeout = new RunTimeout(scope.workflow().limits().timeout(), store, runId, clock.instant());
        store.recovery().reclaimExpired(clock.instant());
        try {
            while (true) {
                if (stopping) {
                    giveBack();
                    return null;
                }
                RunState end = step();
                // every instance has ended; the run ends once the last answers are done with too (a remote job's
                // directory is let go of only after its outcome is recorded)
                if (end != null && inFlight.noneRecording()) {
                    boolean endedHere = store.finishRun(runId, end, clock.instant());
                    listener.runEnded(end);
                    if (endedHere) { // told once, by the engine whose end counted
                        notices.runEnded(
                                end,
                                store.runTasks(runId).stream()
                                        .filter(t -> t.state().failed())
                                        .map(RunTask::taskId)
                                        .toList());
                    }
                    return end;
                }
                wake.tryAcquire(settings.tick().toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
                timeOut();
                RunState endedElsewhere = endedElsewhere();
                if (endedElsewhere != null) {
                    listener.runEnded(endedElsewhere);
                    return endedElsewhere;
                }
                renewLeases();
            }
        } catch (InterruptedException e) {
            giveBack();
            throw e;
        }
    }

    /**
     * Asks the drive to end at its next tick. Cooperative, not an interrupt: an interrupt landing inside a
     * database call can close H2's file channel, and the hand-back would never happen.
     */
    void stop() {
        stopping = true;
        wake.release();
    }

    /**
     * Fails the run once its workflow's timeout has passed, the way a cancel ends it (every open item at once);
     * {@link #endedElsewhere} then kills what this engine runs of it, as for a cancel. Checked on the loop's tick.
     */
    private void timeOut() {
        Instant now = clock.instant();
        if (!timeout.due(now)) {
            return;
        }
        if (store.control().failRun(scope.id(), timeout.reason(), now)) {
            notices.runEnded(RunState.FAILED, List.of(), timeout.reason());
        }
        lastCancelCheck = Instant.MIN; // seen at once below
    }

    /**
     * The run's end once someone else ended it (a cancel by the API or another node, a timeout): what this engine
     * runs of it is killed. The store has ended every instance already, so their late results are not recorded.
     */
    private RunState endedElsewhere() {
        Instant now = clock.instant();
        if (now.isBefore(lastCancelCheck.plusSeconds(1))) {
            return null; // a cancel is noticed within a second, without a query on every tick
        }
        lastCancelCheck = now;
        RunState state = store.run(scope.id()).map(Run::state).orElse(RunState.CANCELLED);
        if (!state.finished()) {
            return null;
        }
        inFlight.killAll(KILL_WAIT);
        return state;
    }

    /** What this engine holds goes back to READY, so the next engine continues at once. */
    private void giveBack() {
        store.attempts().giveBack(inFlight.cancelAll(), clock.instant());
    }

    /** One pass over the run's tasks; the run's end state once every task has ended, else null. */
    private RunState step() {
        Map<String, RunTask> tasks = new HashMap<>();
        store.runTasks(scope.id()).forEach(t -> tasks.put(t.taskId(), t));
        boolean allEnded = true;
        boolean anyFailed = false;
        for (TaskDefinition task : scope.workflow().tasks().values()) {
            TaskState state = tasks.get(task.id()).state();
            if (state == TaskState.PENDING) {
                state = pending.makeReady(task, tasks);
            }
            if (state == TaskState.RUNNING) {
                // an attempt this engine holds has not ended: no need to ask the database whether all have
                TaskState closed = inFlight.ofTask(task.id()) > 0 ? null : closer.closeIfAllEnded(task);
                if (closed != null) {
                    state = closed;
                } else {
                    dispatch.dispatch(task);
                }
            }
            allEnded &= state.finished();
            anyFailed |= state.failed();
        }
        notices.checkLate(tasks, clock.instant());
        return allEnded ? (anyFailed ? RunState.FAILED : RunState.SUCCEEDED) : null;
    }

    /** Keeps this engine's leases alive, and takes back instances whose engine let its lease lapse. */
    private void renewLeases() {
        Instant now = clock.instant();
        if (now.isAfter(lastRenewal.plus(settings.lease().dividedBy(3)))) {
            store.attempts().renew(inFlight.held(), now.plus(settings.lease()));
            store.recovery().reclaimExpired(now);
            lastRenewal = now;
        }
    }
}
