package io.caravan.core.engine;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.caravan.core.runs.TaskState;
import io.caravan.core.storage.Claim;
import io.caravan.core.storage.GroupCommit;
import io.caravan.core.storage.RunStore;
import io.caravan.core.workflow.TaskDefinition;

/**
 * Starts a running task's attempts: claims its READY instances up to its max_active (and, for a pool, the free
 * slots of the hosts this engine may use), hands each to its executor, and has each attempt's end recorded, a
 * batch per transaction, by a worker.
 */
final class AttemptDispatch {
    private static final int RECORD_BATCH = 250;

    private final EngineParts parts;
    private final RunScope scope;
    private final RunNotices notices;
    private final Targets targets;
    private final Invocations invocations;
    private final InFlight inFlight;
    /** Attempts' ends recorded a batch per transaction. */
    private final GroupCommit<AttemptRecorder.Finished, Boolean> recordings;
    /** Wakes the driver: an attempt's end is recorded. */
    private final Runnable wake;

    AttemptDispatch(
            EngineParts parts,
            RunScope scope,
            RunNotices notices,
            Targets targets,
            Invocations invocations,
            AttemptRecorder recorder,
            InFlight inFlight,
            Runnable wake) {
        this.parts = parts;
        this.scope = scope;
        this.notices = notices;
        this.targets = targets;
        this.invocations = invocations;
        this.inFlight = inFlight;
        this.recordings = new GroupCommit<>(recorder::finish, parts.workers(), RECORD_BATCH);
        this.wake = wake;
    }

    /** Claims and starts what the task may run now. */
    void dispatch(TaskDefinition task) {
        int limit = (int) (task.maxActive() - inFlight.ofTask(task.id()));
        Collection<String> hosts = null;
        Targets.Resolved place = targets.of(task.target());
        String placeOn = place.target() == null ? null : place.target().hostAndPort();
        if (place.target() != null && !parts.admission().admits(place.target())) {
            return; // another node owns the host: it runs these
        }
        if (place.pool() != null) {
            Map<String, Integer> free = parts.admission().freeSlots(place.pool());
            if (free != null) {
                hosts = free.keySet();
                limit = Math.min(
                        limit,
                        free.values().stream().mapToInt(Integer::intValue).sum());
            }
        }
        RunStore store = parts.store();
        for (Claim claim : store.attempts()
                .claim(
                        scope.id(),
                        task.id(),
                        limit,
                        hosts,
                        placeOn,
                        parts.settings().owner(),
                        parts.settings().lease(),
                        parts.clock().instant())) {
            start(task, claim);
        }
    }

    private void start(TaskDefinition task, Claim claim) {
        RunListener listener = scope.listener();
        inFlight.claimed(claim);
        CompletableFuture<TaskResult> attempt;
        TaskInvocation invocation;
        AsyncTaskExecutor executor;
        try {
            executor = parts.executors()
                    .find(task.kind().key(), parts.workers())
                    .orElseThrow(() -> new IllegalStateException(
                            "no executor for task type '" + task.kind().key() + "'"));
            invocation = invocations.of(task, claim);
            listener.attemptStarted(claim.taskId(), claim.itemIndex());
            attempt = executor.start(invocation);
        } catch (RuntimeException e) {
            parts.store()
                    .attempts()
                    .complete(
                            claim,
                            TaskState.FAILED,
                            null,
                            "cannot start: " + e.getMessage(),
                            null,
                            parts.clock().instant());
            listener.attemptEnded(task.id(), claim.itemIndex(), TaskState.FAILED, e.getMessage());
            notices.taskFailed(task, "cannot start: " + e.getMessage());
            inFlight.dropped(claim);
            return;
        }
        inFlight.started(claim, attempt);
        // recorded by a worker, with the others that ended meanwhile: the thread that completed the future (a host's
        // job supervisor) must not wait on the database, and a poll that ends 250 jobs is one transaction, not 250
        attempt.whenComplete((result, thrown) -> {
            inFlight.answered();
            recordings
                    .add(new AttemptRecorder.Finished(claim, invocation, result, thrown))
                    .whenComplete((recorded, error) -> {
                        try {
                            if (error != null) {
                                listener.attemptEnded(
                                        task.id(),
                                        claim.itemIndex(),
                                        TaskState.FAILED,
                                        "cannot record: " + error.getMessage());
                            } else if (recorded) {
                                executor.recorded(invocation);
                            }
                        } finally {
                            inFlight.recorded(claim);
                            wake.run();
                        }
                    });
        });
    }
}
