package io.caravan.core.storage;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import io.caravan.core.runs.RunState;
import io.caravan.core.runs.TaskState;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import org.hibernate.Session;

/**
 * Everything the engine reads and writes, one short transaction per call. Queries load what one step
 * needs: a run's task rows, the instances being claimed, counts by state; never every item of a run.
 *
 * <p>Longer than most classes here on purpose: it is the one place where runs and their tasks are created and
 * change state, so that every such write and the order it takes its locks in can be read together. What only
 * reads lives in {@link RunQueries}, what an operator does by hand in {@link RunControl}, attempts in
 * {@link AttemptStore}, placements in {@link PlacementStore}.
 */
public final class RunStore {
    private final Database db;
    private final LeaseRecovery recovery;
    private final PlacementStore placements;
    private final AttemptStore attempts;

    public RunStore(Database db) {
        this.db = db;
        this.recovery = new LeaseRecovery(db);
        this.placements = new PlacementStore(db);
        this.attempts = new AttemptStore(db);
    }

    /** A new run with one PENDING row per task. */
    public Run createRun(
            String workflowId,
            String trigger,
            String paramsJson,
            String sourcePath,
            String sourceYaml,
            List<String> taskIds,
            Instant now) {
        return createRun(workflowId, trigger, null, paramsJson, sourcePath, sourceYaml, taskIds, now);
    }

    /**
     * A schedule's run for one cron slot; empty when the slot has its run already (another engine fired it):
     * the database keeps one run per workflow and slot whatever the schedulers do.
     */
    public Optional<Run> createScheduledRun(
            String workflowId,
            Instant slot,
            String paramsJson,
            String sourcePath,
            String sourceYaml,
            List<String> taskIds,
            Instant now) {
        return createSlotRun(workflowId, "schedule", slot, paramsJson, sourcePath, sourceYaml, taskIds, now);
    }

    /**
     * A schedule firing's run under max_active_runs: with {@code skipAt} runs of the workflow active (0: never), the
     * run is recorded as skipped (state cancelled, with the reason) and is not to be driven; empty when the slot has
     * its run already. Counted and created under a lock every node's firings take.
     */
    public Optional<Run> createFiringRun(
            String workflowId,
            Instant slot,
            int skipAt,
            String paramsJson,
            String sourcePath,
            String sourceYaml,
            List<String> taskIds,
            Instant now) {
        return new Firings(db)
                .create(workflowId, "schedule", slot, skipAt, paramsJson, sourcePath, sourceYaml, taskIds, now);
    }

    /** Whether a queued run waits its turn: {@code maxActive} runs of its workflow are running or queued before it. */
    public boolean mustWaitTurn(Run run, int maxActive) {
        return new Firings(db).mustWait(run, maxActive);
    }

    /** A run for one cron slot started by {@code trigger} (a schedule, a backfill); empty when the slot has its run. */
    public Optional<Run> createSlotRun(
            String workflowId,
            String trigger,
            Instant slot,
            String paramsJson,
            String sourcePath,
            String sourceYaml,
            List<String> taskIds,
            Instant now) {
        if (slotRun(workflowId, slot).isPresent()) {
            return Optional.empty();
        }
        try {
            return Optional.of(createRun(workflowId, trigger, slot, paramsJson, sourcePath, sourceYaml, taskIds, now));
        } catch (RuntimeException e) {
            if (slotRun(workflowId, slot).isPresent()) {
                return Optional.empty(); // inserted by another engine between the check and ours
            }
            throw e;
        }
    }

    /** The runs a workflow has for cron slots in {@code [from, to)}, by slot (soft-deleted ones included: they hold their slot). */
    public Map<Instant, Run> slotRuns(String workflowId, Instant from, Instant to) {
        Map<Instant, Run> runs = new TreeMap<>();
        db
                .inTransaction(em -> em.createQuery(
                                "select r from RunRecord r where r.workflowId = :w and r.scheduledFor >= :from"
                                        + " and r.scheduledFor < :to",
                                RunRecord.class)
                        .setParameter("w", workflowId)
                        .setParameter("from", from)
                        .setParameter("to", to)
                        .getResultList())
                .stream()
                .map(RunRecord::view)
                .forEach(r -> runs.put(r.scheduledFor(), r));
        return runs;
    }

    private Optional<String> slotRun(String workflowId, Instant slot) {
        return db.inTransaction(em -> em
                .createQuery(
                        "select r.id from RunRecord r where r.workflowId = :w" + " and r.scheduledFor = :slot",
                        String.class)
                .setParameter("w", workflowId)
                .setParameter("slot", slot)
                .getResultList()
                .stream()
                .findFirst());
    }

    private Run createRun(
            String workflowId,
            String trigger,
            Instant slot,
            String paramsJson,
            String sourcePath,
            String sourceYaml,
            List<String> taskIds,
            Instant now) {
        return db.inTransaction(em -> {
            RunRecord run = new RunRecord(
                    UUID.randomUUID().toString(), workflowId, trigger, paramsJson, sourcePath, sourceYaml, now);
            run.scheduledFor(slot);
            em.persist(run);
            taskIds.forEach(t -> em.persist(new RunTaskRecord(run.id(), t, now)));
            return run.view();
        });
    }

    /** Ending runs by hand or by rule: cancel, fail on a timeout. */
    public RunControl control() {
        return new RunControl(db);
    }

    public Optional<Run> run(String runId) {
        return db.inTransaction(
                em -> Optional.ofNullable(em.find(RunRecord.class, runId)).map(RunRecord::view));
    }

    /** Newest first; soft-deleted runs are not listed. */
    public List<Run> runs(int limit) {
        return db.inTransaction(em -> em
                .createQuery(
                        "select r from RunRecord r where r.deletedAt is null order by r.createdAt desc",
                        RunRecord.class)
                .setMaxResults(limit)
                .getResultList()
                .stream()
                .map(RunRecord::view)
                .toList());
    }

    /** Queued and running runs, oldest first. */
    public List<Run> unfinishedRuns() {
        return unfinishedRunsExcept(List.of());
    }

    /** Unfinished runs but those started by one of {@code triggers}. */
    public List<Run> unfinishedRunsExcept(Collection<String> triggers) {
        return db.inTransaction(em -> {
            var query = em.createQuery(
                            "select r from RunRecord r where r.state in :states and r.deletedAt is null"
                                    + (triggers.isEmpty() ? "" : " and r.trigger not in :triggers")
                                    + " order by r.createdAt",
                            RunRecord.class)
                    .setParameter("states", List.of(RunState.QUEUED, RunState.RUNNING));
            if (!triggers.isEmpty()) {
                query.setParameter("triggers", triggers);
            }
            return query.getResultList().stream().map(RunRecord::view).toList();
        });
    }

    public void startRun(String runId, Instant now) {
        db.inTransaction(em -> {
            em.find(RunRecord.class, runId, LockModeType.PESSIMISTIC_WRITE).start(now);
            return null;
        });
    }

    /** @return whether this call ended the run: another engine, or a cancel, may have ended it first */
    public boolean finishRun(String runId, RunState end, Instant now) {
        return db.inTransaction(em ->
                em.find(RunRecord.class, runId, LockModeType.PESSIMISTIC_WRITE).finish(end, now));
    }

    public void deleteRun(String runId, Instant now) {
        db.inTransaction(em -> {
            em.find(RunRecord.class, runId).delete(now);
            return null;
        });
    }

    public List<RunTask> runTasks(String runId) {
        return db.inTransaction(em -> em
                .createQuery("select t from RunTaskRecord t where t.key.runId = :run", RunTaskRecord.class)
                .setParameter("run", runId)
                .getResultList()
                .stream()
                .map(RunTaskRecord::view)
                .toList());
    }

    /** Upstream done: the task's instances become READY (one per item) and the task RUNNING. */
    public void makeReady(String runId, String taskId, List<String> itemJsons, int maxAttempts, Instant now) {
        db.inTransaction(em -> {
            RunTaskRecord task =
                    em.find(RunTaskRecord.class, new RunTaskKey(runId, taskId), LockModeType.PESSIMISTIC_WRITE);
            if (task.state() != TaskState.PENDING) {
                return null; // made ready already, by this engine before a crash or by another one
            }
            int kept = rerunCleared(em, runId, taskId, itemJsons, maxAttempts, now);
            insertReady(em, runId, taskId, itemJsons.subList(kept, itemJsons.size()), kept, maxAttempts, now);
            task.madeReady(itemJsons.size(), now);
            return null;
        });
    }

    /**
     * A cleared task's instances from when it was last made ready run again, keeping their rows and attempt histories
     * (their next attempt gets the next number); those past the new item count go, with their histories.
     *
     * @return how many items have their row now
     */
    private static int rerunCleared(
            EntityManager em, String runId, String taskId, List<String> itemJsons, int maxAttempts, Instant now) {
        List<TaskInstanceRecord> earlier = em.createQuery(
                        "select i from TaskInstanceRecord i where i.runId = :run"
                                + " and i.taskId = :task order by i.itemIndex",
                        TaskInstanceRecord.class)
                .setParameter("run", runId)
                .setParameter("task", taskId)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList();
        int kept = Math.min(earlier.size(), itemJsons.size());
        for (int i = 0; i < kept; i++) {
            earlier.get(i).rerun(itemJsons.get(i), maxAttempts, now);
        }
        List<Long> gone = earlier.subList(kept, earlier.size()).stream()
                .map(TaskInstanceRecord::id)
                .toList();
        if (!gone.isEmpty()) {
            em.createQuery("delete from TaskAttemptRecord a where a.instanceId in :gone")
                    .setParameter("gone", gone)
                    .executeUpdate();
            em.createQuery("delete from TaskInstanceRecord i where i.id in :gone")
                    .setParameter("gone", gone)
                    .executeUpdate();
        }
        em.flush();
        return kept;
    }

    /** One READY row per item, sent as one JDBC batch: a 10 000-item fan-out is not 10 000 round trips. */
    private static void insertReady(
            EntityManager em,
            String runId,
            String taskId,
            List<String> itemJsons,
            int firstIndex,
            int maxAttempts,
            Instant now) {
        OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO task_instances (run_id, task_id,"
                    + " item_index, item_json, state, attempt, max_attempts, next_attempt_at, interruptions, version)"
                    + " VALUES (?, ?, ?, ?, 'READY', 1, ?, ?, 0, 0)")) {
                for (int i = 0; i < itemJsons.size(); i++) {
                    insert.setString(1, runId);
                    insert.setString(2, taskId);
                    insert.setInt(3, firstIndex + i);
                    insert.setString(4, itemJsons.get(i));
                    insert.setInt(5, maxAttempts);
                    insert.setObject(6, at);
                    insert.addBatch();
                    if (i % 1000 == 999) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            }
        });
    }

    public void finishRunTask(String runId, String taskId, TaskState end, String outputJson, Instant now) {
        db.inTransaction(em -> {
            em.find(RunTaskRecord.class, new RunTaskKey(runId, taskId), LockModeType.PESSIMISTIC_WRITE)
                    .finish(end, outputJson, now);
            return null;
        });
    }

    /**
     * Whether some instance of a task has not ended yet: one index probe (task_instances_by_group) that a running
     * fan-out answers at its first row, where counting would read every row of the task each time.
     */
    public boolean anyUnfinished(String runId, String taskId) {
        return db.inTransaction(em -> !em.createQuery(
                        "select i.id from TaskInstanceRecord i where i.runId = :run and i.taskId = :task"
                                + " and i.state in :open",
                        Long.class)
                .setParameter("run", runId)
                .setParameter("task", taskId)
                .setParameter("open", UNFINISHED)
                .setMaxResults(1)
                .getResultList()
                .isEmpty());
    }

    private static final List<TaskState> UNFINISHED =
            Arrays.stream(TaskState.values()).filter(s -> !s.finished()).toList();

    /** Instances of a task counted by state. */
    public Map<TaskState, Long> counts(String runId, String taskId) {
        return db.inTransaction(em -> {
            Map<TaskState, Long> counts = new EnumMap<>(TaskState.class);
            em.createQuery(
                            "select i.state, count(i) from TaskInstanceRecord i where i.runId = :run and i.taskId = :task"
                                    + " group by i.state",
                            Object[].class)
                    .setParameter("run", runId)
                    .setParameter("task", taskId)
                    .getResultList()
                    .forEach(row -> counts.put((TaskState) row[0], (Long) row[1]));
            return counts;
        });
    }

    /** Instances of every task of a run counted by state: one grouped query, whatever the fan-out. */
    public Map<String, Map<TaskState, Long>> countsByTask(String runId) {
        return db.inTransaction(em -> {
            Map<String, Map<TaskState, Long>> counts = new TreeMap<>();
            em.createQuery(
                            "select i.taskId, i.state, count(i) from TaskInstanceRecord i where i.runId = :run"
                                    + " group by i.taskId, i.state",
                            Object[].class)
                    .setParameter("run", runId)
                    .getResultList()
                    .forEach(row -> counts.computeIfAbsent((String) row[0], t -> new EnumMap<>(TaskState.class))
                            .put((TaskState) row[1], (Long) row[2]));
            return counts;
        });
    }

    /** The first failed instances of a run, with their errors. */
    public List<TaskInstance> failures(String runId, int limit) {
        return db.inTransaction(em -> em
                .createQuery(
                        "select i from TaskInstanceRecord i where i.runId = :run"
                                + " and i.state = :failed order by i.taskId, i.itemIndex",
                        TaskInstanceRecord.class)
                .setParameter("run", runId)
                .setParameter("failed", TaskState.FAILED)
                .setMaxResults(limit)
                .getResultList()
                .stream()
                .map(TaskInstanceRecord::view)
                .toList());
    }

    /** Outputs of a task's instances by item index (for a fan-in's {@code tasks.x.output}). */
    public Map<Integer, String> outputs(String runId, String taskId) {
        return db.inTransaction(em -> {
            Map<Integer, String> outputs = new TreeMap<>();
            em.createQuery(
                            "select i.itemIndex, i.outputJson from TaskInstanceRecord i where i.runId = :run"
                                    + " and i.taskId = :task",
                            Object[].class)
                    .setParameter("run", runId)
                    .setParameter("task", taskId)
                    .getResultList()
                    .forEach(row -> outputs.put((Integer) row[0], (String) row[1]));
            return outputs;
        });
    }

    public Optional<TaskInstance> instance(String runId, String taskId, int itemIndex) {
        return db.inTransaction(em -> em.createQuery(
                        "select i from TaskInstanceRecord i where i.runId = :run"
                                + " and i.taskId = :task and i.itemIndex = :item",
                        TaskInstanceRecord.class)
                .setParameter("run", runId)
                .setParameter("task", taskId)
                .setParameter("item", itemIndex)
                .getResultStream()
                .findFirst()
                .map(TaskInstanceRecord::view));
    }

    public List<TaskInstance> instances(String runId) {
        return db.inTransaction(em -> em
                .createQuery(
                        "select i from TaskInstanceRecord i where i.runId = :run" + " order by i.taskId, i.itemIndex",
                        TaskInstanceRecord.class)
                .setParameter("run", runId)
                .getResultList()
                .stream()
                .map(TaskInstanceRecord::view)
                .toList());
    }

    /** Claiming instances under a lease and recording how their attempts ended. */
    public AttemptStore attempts() {
        return attempts;
    }

    /** Taking back what engines let go of: lapsed leases, a dead node's attempts, a resumed run's. */
    public LeaseRecovery recovery() {
        return recovery;
    }

    /** Where attempts' jobs run: busy slots of every engine, the hosts one engine uses. */
    public PlacementStore placements() {
        return placements;
    }
}
