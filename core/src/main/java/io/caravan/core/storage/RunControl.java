package io.caravan.core.storage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.caravan.core.runs.RunState;
import io.caravan.core.runs.TaskState;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

/** What an operator does to a run by hand (the web UI, the API, the CLI): cancel it, retry a failed item, clear tasks. */
public final class RunControl {
    private final Database db;

    public RunControl(Database db) {
        this.db = db;
    }

    /**
     * Cancels a run that has not ended: it and every task and instance not ended are CANCELLED at once, and
     * running instances lose their leases, so their engines' late results are not recorded. The engines
     * driving the run see it at their next tick and kill what they run. False when the run had ended.
     */
    public boolean cancelRun(String runId, Instant now) {
        return endRun(runId, RunState.CANCELLED, null, "cancelled", now);
    }

    /**
     * Fails a run that has not ended as a cancel does ({@link #cancelRun}: every open task and instance ends at once,
     * the engines driving it kill what they run), with {@code reason} on the run and its open instances. False when
     * the run had ended.
     */
    public boolean failRun(String runId, String reason, Instant now) {
        return endRun(runId, RunState.FAILED, reason, reason, now);
    }

    private boolean endRun(String runId, RunState end, String runReason, String itemError, Instant now) {
        // the engine may make a task of this run ready meanwhile (its row changes under us): then end it again
        return db.inTransactionRetryingConflicts(em -> {
            RunRecord run = em.find(RunRecord.class, runId, LockModeType.PESSIMISTIC_WRITE);
            if (run == null || run.state().finished()) {
                return false;
            }
            run.finish(end, now);
            run.reason(runReason);
            em
                    .createQuery("select t from RunTaskRecord t where t.key.runId = :run", RunTaskRecord.class)
                    .setParameter("run", runId)
                    .getResultList()
                    .stream()
                    .filter(t -> !t.state().finished())
                    .forEach(t -> t.finish(TaskState.CANCELLED, null, now));
            em.createQuery(
                            "select i from TaskInstanceRecord i where i.runId = :run and i.state in :open",
                            TaskInstanceRecord.class)
                    .setParameter("run", runId)
                    .setParameter("open", List.of(TaskState.PENDING, TaskState.READY, TaskState.RUNNING))
                    .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                    .getResultList()
                    .forEach(i -> i.finish(TaskState.CANCELLED, null, itemError, now));
            return true;
        });
    }

    /**
     * A failed item gets a new attempt now (one more than its retries allowed, if it had used them all); its
     * task and its run are reopened, and downstream tasks that ended without running because of it wait for
     * it again. An item whose job was left on a host given up on is taken up again with the same attempt
     * instead, so that its job is adopted, not run twice. Empty unless the item had failed.
     */
    public Optional<TaskInstance> retryItem(
            String runId, String taskId, int itemIndex, Collection<String> downstream, Instant now) {
        return db.inTransaction(em -> {
            RunRecord run = em.find(RunRecord.class, runId, LockModeType.PESSIMISTIC_WRITE);
            List<TaskInstanceRecord> found = em.createQuery(
                            "select i from TaskInstanceRecord i where i.runId = :run"
                                    + " and i.taskId = :task and i.itemIndex = :item",
                            TaskInstanceRecord.class)
                    .setParameter("run", runId)
                    .setParameter("task", taskId)
                    .setParameter("item", itemIndex)
                    .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                    .getResultList();
            if (run == null || found.isEmpty() || found.get(0).state() != TaskState.FAILED) {
                return Optional.<TaskInstance>empty();
            }
            TaskInstanceRecord instance = found.get(0);
            if (instance.leftOnHost()) {
                LeaseRecovery.holdForAdoption(em, runId, List.of(instance), "a retry by hand", now);
                instance.takeUpLeftOnHost(now);
            } else {
                instance.retryByHand(now); // the failed attempt is in its history already
            }
            reopen(em, run, taskId, downstream, now);
            return Optional.of(instance.view());
        });
    }

    /**
     * Clears tasks of a finished run: each waits for its upstream again and is made ready afresh, its instances run
     * again with new attempt numbers; the run is reopened. Tasks not named keep their state and outputs, so an
     * upstream that succeeded is not run again.
     *
     * @param failedOnly clear only those of {@code taskIds} that failed (or did not run because an upstream failed)
     * @return the tasks cleared, in the order given; empty when none matched (the run stays as it was)
     * @throws IllegalArgumentException when there is no such run
     * @throws IllegalStateException when the run has not ended
     */
    public List<String> clearTasks(String runId, Collection<String> taskIds, boolean failedOnly, Instant now) {
        return db.inTransaction(em -> {
            RunRecord run = em.find(RunRecord.class, runId, LockModeType.PESSIMISTIC_WRITE);
            if (run == null) {
                throw new IllegalArgumentException("no run '" + runId + "'");
            }
            if (!run.state().finished()) {
                throw new IllegalStateException(
                        "run " + runId + " is " + run.state().name().toLowerCase(Locale.ROOT)
                                + ": only the tasks of a run that has ended are cleared (cancel it first)");
            }
            // a job left on a host that was given up on may still run there: a new attempt would run it twice
            List<String> leftOnHost = em.createQuery(
                            "select distinct i.taskId from TaskInstanceRecord i where i.runId = :run"
                                    + " and i.leftOnHost = true and i.taskId in :tasks",
                            String.class)
                    .setParameter("run", runId)
                    .setParameter("tasks", List.copyOf(taskIds))
                    .getResultList();
            if (!leftOnHost.isEmpty()) {
                throw new IllegalStateException("task " + String.join(", ", leftOnHost) + " of run " + runId
                        + " has jobs left" + " on a host that was given up on: run --resume " + runId
                        + " (or retry those items) adopts them first");
            }
            List<String> cleared = new ArrayList<>();
            for (String taskId : taskIds) {
                RunTaskRecord t =
                        em.find(RunTaskRecord.class, new RunTaskKey(runId, taskId), LockModeType.PESSIMISTIC_WRITE);
                if (t != null && (!failedOnly || t.state().failed())) {
                    t.clear(now);
                    cleared.add(taskId);
                }
            }
            if (!cleared.isEmpty()) {
                run.reopen();
            }
            return cleared;
        });
    }

    /** The item's task, the tasks that ended without running because of it, and the run are back at work. */
    static void reopen(EntityManager em, RunRecord run, String taskId, Collection<String> downstream, Instant now) {
        em.find(RunTaskRecord.class, new RunTaskKey(run.id(), taskId), LockModeType.PESSIMISTIC_WRITE)
                .reopen(now);
        for (String d : downstream) {
            RunTaskRecord t = em.find(RunTaskRecord.class, new RunTaskKey(run.id(), d), LockModeType.PESSIMISTIC_WRITE);
            if (t != null
                    && t.itemCount() == null
                    && (t.state() == TaskState.UPSTREAM_FAILED || t.state() == TaskState.SKIPPED)) {
                t.reopen(now);
            }
        }
        if (run.state().finished()) {
            run.reopen();
        }
    }
}
