package io.caravan.core.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.caravan.core.notify.Notifier;
import io.caravan.core.runs.RunState;
import io.caravan.core.runs.TaskState;
import io.caravan.core.storage.Claim;
import io.caravan.core.storage.GroupCommit;
import io.caravan.core.storage.Run;
import io.caravan.core.storage.RunStore;
import io.caravan.core.storage.RunTask;
import io.caravan.core.workflow.TaskDefinition;
import io.caravan.core.workflow.Template;
import io.caravan.core.workflow.WorkflowDefinition;

/**
 * Drives one run to its end: releases tasks whose upstream has ended (by trigger rule, expanding
 * fan-outs), claims ready instances up to each task's max_active, hands them to workers, closes tasks
 * whose instances have all ended, and the run when every task has. Wakes when an attempt ends, or each
 * tick to pick up retries that came due.
 */
final class RunDriver {
    private final Run run;
    private final WorkflowDefinition workflow;
    private final RunStore store;
    private final TaskExecutors executors;
    private final EngineSettings settings;
    private final Clock clock;
    private final RunListener listener;
    private final ExecutorService workers;
    private final AttemptRunner attempts;
    /** Attempts' ends recorded a batch per transaction. */
    private final GroupCommit<AttemptRunner.Finished, Boolean> recorder;
    /** Attempts that have answered and are being recorded and handed back to their executor. */
    private final java.util.concurrent.atomic.AtomicInteger recording = new java.util.concurrent.atomic.AtomicInteger();
    private static final int RECORD_BATCH = 250;
    /** How long an ended run waits for its killed attempts: a poll interval and a kill's TERM grace, with room. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(30);
    private final RunValues values;
    private final RunNotices notices;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean stopping;
    private final Map<Long, Claim> inFlight = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<TaskResult>> running = new ConcurrentHashMap<>();
    private final Placements placements;
    private final HostGate gate;
    private final Map<String, Object> outputCache = new ConcurrentHashMap<>();
    private Instant lastRenewal;
    private Instant lastCancelCheck = Instant.MIN;
    private RunTimeout timeout;

    RunDriver(Run run, WorkflowDefinition workflow, RunStore store, TaskExecutors executors, EngineSettings settings,
              Clock clock, RunListener listener, ExecutorService workers, PoolDirectory pools, HostGate gate, Notifier notifier) {
        this.gate = gate;
        this.run = run;
        this.workflow = workflow;
        this.store = store;
        this.executors = executors;
        this.settings = settings;
        this.clock = clock;
        this.listener = listener;
        this.workers = workers;
        // a schedule's or a backfill's run is for its slot: {{ run.date }} is that logical date, not the day it ran
        this.values = new RunValues(run.id(), run.workflowId(), run.scheduledFor() != null ? run.scheduledFor() : run.createdAt(),
                workflow.params(), this::upstreamOutput);
        // sla counts from the cron slot a schedule fired the run for, else from the run's (first) start
        Instant logicalStart = run.scheduledFor() != null ? run.scheduledFor()
                : run.startedAt() != null ? run.startedAt() : clock.instant();
        this.notices = new RunNotices(run.id(), workflow, notifier, values, logicalStart);
        this.attempts = new AttemptRunner(store, settings, clock, listener, notices);
        this.recorder = new GroupCommit<>(attempts::finish, workers, RECORD_BATCH);
        this.lastRenewal = clock.instant();
        this.placements = new Placements(workflow, pools);
    }

    /** The run's end state, or null when {@link #stop()} ended the drive first. */
    RunState drive() throws InterruptedException {
        RunState endedQueued = RunTurn.await(run, workflow.limits(), store, () -> stopping, wake);
        if (stopping) {
            return null;
        }
        if (endedQueued != null) {
            listener.runEnded(endedQueued);
            return endedQueued;
        }
        store.startRun(run.id(), clock.instant());
        timeout = new RunTimeout(workflow.limits().timeout(), store, run.id(), clock.instant());
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
                if (end != null && recording.get() == 0) {
                    boolean endedHere = store.finishRun(run.id(), end, clock.instant());
                    listener.runEnded(end);
                    if (endedHere) { // told once, by the engine whose end counted
                        notices.runEnded(end, store.runTasks(run.id()).stream().filter(t -> t.state().failed())
                                .map(RunTask::taskId).toList());
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
        if (store.control().failRun(run.id(), timeout.reason(), now)) {
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
        RunState state = store.run(run.id()).map(Run::state).orElse(RunState.CANCELLED);
        if (!state.finished()) {
            return null;
        }
        Killable.killAll(List.copyOf(running.values()), KILL_WAIT);
        return state;
    }

    /** What this engine holds goes back to READY, so the next engine continues at once. */
    private void giveBack() {
        // taken before the cancels: a cancelled attempt leaves inFlight at once, and its claim must still go back
        List<Claim> held = List.copyOf(inFlight.values());
        running.values().forEach(f -> f.cancel(false));
        store.attempts().giveBack(held, clock.instant());
    }

    /** One pass over the run's tasks; the run's end state once every task has ended, else null. */
    private RunState step() {
        Map<String, RunTask> tasks = new HashMap<>();
        store.runTasks(run.id()).forEach(t -> tasks.put(t.taskId(), t));
        boolean allEnded = true;
        boolean anyFailed = false;
        for (TaskDefinition task : workflow.tasks().values()) {
            TaskState state = tasks.get(task.id()).state();
            if (state == TaskState.PENDING) {
                state = release(task, tasks);
            }
            if (state == TaskState.RUNNING) {
                state = progress(task);
            }
            allEnded &= state.finished();
            anyFailed |= state.failed();
        }
        notices.checkLate(tasks, clock.instant());
        return allEnded ? (anyFailed ? RunState.FAILED : RunState.SUCCEEDED) : null;
    }

    private TaskState release(TaskDefinition task, Map<String, RunTask> tasks) {
        List<TaskState> upstream = task.dependsOn().stream().map(d -> tasks.get(d).state()).toList();
        if (!upstream.stream().allMatch(TaskState::finished)) {
            return TaskState.PENDING;
        }
        TaskState decision = TriggerRules.decide(task.triggerRule(), upstream);
        if (decision != TaskState.RUNNING) {
            return endTask(task, decision, null);
        }
        List<Object> items;
        try {
            items = ItemExpansion.items(task.expand(), values.with(null));
        } catch (IllegalArgumentException e) {
            listener.attemptEnded(task.id(), 0, TaskState.FAILED, e.getMessage());
            notices.taskFailed(task, e.getMessage());
            return endTask(task, TaskState.FAILED, Json.write(Map.of("error", e.getMessage())));
        }
        store.release(run.id(), task.id(), items.stream().map(Json::write).toList(), task.retries() + 1, clock.instant());
        listener.taskReleased(task.id(), items.size());
        return TaskState.RUNNING;
    }

    private TaskState progress(TaskDefinition task) {
        Map<TaskState, Long> counts = store.counts(run.id(), task.id());
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        long ended = counts.entrySet().stream().filter(e -> e.getKey().finished()).mapToLong(Map.Entry::getValue).sum();
        if (ended == total) {
            boolean allSucceeded = counts.getOrDefault(TaskState.SUCCEEDED, 0L) == total;
            return endTask(task, allSucceeded ? TaskState.SUCCEEDED : TaskState.FAILED, taskOutput(task));
        }
        long running = inFlight.values().stream().filter(c -> c.taskId().equals(task.id())).count();
        int limit = (int) (task.maxActive() - running);
        Collection<String> hosts = null;
        Placements.Placement place = placements.of(task.target());
        String placeOn = place.target() == null ? null : place.target().hostAndPort();
        if (place.target() != null && !gate.admits(place.target())) {
            return TaskState.RUNNING; // another node owns the host: it runs these
        }
        if (place.pool() != null) {
            Map<String, Integer> free = gate.freeSlots(place.pool());
            if (free != null) {
                hosts = free.keySet();
                limit = Math.min(limit, free.values().stream().mapToInt(Integer::intValue).sum());
            }
        }
        for (Claim claim : store.attempts().claim(run.id(), task.id(), limit, hosts, placeOn, settings.owner(), settings.lease(),
                clock.instant())) {
            start(task, claim);
        }
        return TaskState.RUNNING;
    }

    private void start(TaskDefinition task, Claim claim) {
        inFlight.put(claim.instanceId(), claim);
        CompletableFuture<TaskResult> attempt;
        TaskInvocation invocation;
        AsyncTaskExecutor executor;
        try {
            executor = executors.find(task.kind().key(), workers).orElseThrow(() ->
                    new IllegalStateException("no executor for task type '" + task.kind().key() + "'"));
            invocation = invocation(task, claim);
            listener.attemptStarted(claim.taskId(), claim.itemIndex());
            attempt = executor.start(invocation);
        } catch (RuntimeException e) {
            store.attempts().complete(claim, TaskState.FAILED, null, "cannot start: " + e.getMessage(), null, clock.instant());
            listener.attemptEnded(task.id(), claim.itemIndex(), TaskState.FAILED, e.getMessage());
            notices.taskFailed(task, "cannot start: " + e.getMessage());
            inFlight.remove(claim.instanceId());
            return;
        }
        running.put(claim.instanceId(), attempt);
        // recorded by a worker, with the others that ended meanwhile: the thread that completed the future (a host's
        // job supervisor) must not wait on the database, and a poll that ends 250 jobs is one transaction, not 250
        attempt.whenComplete((result, thrown) -> {
            recording.incrementAndGet();
            recorder.add(new AttemptRunner.Finished(claim, invocation, result, thrown)).whenComplete((recorded, error) -> {
                try {
                    if (error != null) {
                        listener.attemptEnded(task.id(), claim.itemIndex(), TaskState.FAILED, "cannot record: " + error.getMessage());
                    } else if (recorded) {
                        executor.recorded(invocation);
                    }
                } finally {
                    running.remove(claim.instanceId());
                    inFlight.remove(claim.instanceId());
                    recording.decrementAndGet();
                    wake.release();
                }
            });
        });
    }

    private TaskInvocation invocation(TaskDefinition task, Claim claim) {
        Object item = Json.read(claim.itemJson());
        Function<Template.Ref, Object> scope = values.with(item);
        String body = task.body() == null ? null : task.body().render(scope);
        Map<String, Object> options = new HashMap<>();
        task.options().forEach((k, v) -> options.put(k, render(v, scope)));
        Placements.Placement place = placements.of(task.target());
        return new TaskInvocation(run.id(), task, claim.itemIndex(), item, claim.attempt(), body, options,
                place.target(), place.pool(), task.timeout(), attempts.logFile(claim), claim.host());
    }

    /** Each option's templates written for where they go (shell text, or plain values such as a job's env). */
    private static Object render(Object option, Function<Template.Ref, Object> scope) {
        if (option instanceof Template t) {
            return t.render(scope);
        }
        if (option instanceof Map<?, ?> map) {
            Map<String, Object> rendered = new java.util.LinkedHashMap<>();
            map.forEach((k, v) -> rendered.put(String.valueOf(k), render(v, scope)));
            return rendered;
        }
        if (option instanceof List<?> list) { // a job's stage_in and stage_out lines
            return list.stream().map(v -> render(v, scope)).toList();
        }
        return option;
    }

    /** A single instance's output, or the list of a fan-out's outputs in item order. */
    private String taskOutput(TaskDefinition task) {
        Map<Integer, String> outputs = store.outputs(run.id(), task.id());
        if (task.expand() == null) {
            return outputs.getOrDefault(0, null);
        }
        List<Object> list = new ArrayList<>();
        outputs.values().forEach(o -> list.add(Json.read(o)));
        return Json.write(list);
    }

    private TaskState endTask(TaskDefinition task, TaskState end, String outputJson) {
        store.finishRunTask(run.id(), task.id(), end, outputJson, clock.instant());
        listener.taskEnded(task.id(), end);
        if (end == TaskState.SUCCEEDED) {
            notices.taskSucceeded(task);
        }
        return end;
    }

    private Object upstreamOutput(String taskId) {
        return outputCache.computeIfAbsent(taskId, id -> {
            String json = store.runTasks(run.id()).stream().filter(t -> t.taskId().equals(id)).findFirst()
                    .map(RunTask::outputJson).orElse(null);
            Object value = Json.read(json);
            return value instanceof String text ? Json.structured(text) : value == null ? "" : value;
        });
    }

    /** Keeps this engine's leases alive, and takes back instances whose engine let its lease lapse. */
    private void renewLeases() {
        Instant now = clock.instant();
        if (now.isAfter(lastRenewal.plus(settings.lease().dividedBy(3)))) {
            store.attempts().renew(inFlight.values().stream().map(Claim::token).toList(), now.plus(settings.lease()));
            store.recovery().reclaimExpired(now);
            lastRenewal = now;
        }
    }
}
