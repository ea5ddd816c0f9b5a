package io.caravan.core.storage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.caravan.core.runs.TaskState;

/** Reads for the web UI and the API: pages of runs and items, a run's items by state, an item's attempts. */
public final class RunQueries {
    private final Database db;

    public RunQueries(Database db) {
        this.db = db;
    }

    /** A page of runs, newest first, of one workflow or of all (null); soft-deleted runs are not listed. */
    public List<Run> runs(String workflowId, int limit, int offset) {
        return db.inTransaction(em -> {
            var q = em.createQuery(
                    "select r from RunRecord r where r.deletedAt is null"
                            + (workflowId == null ? "" : " and r.workflowId = :w") + " order by r.createdAt desc, r.id",
                    RunRecord.class);
            if (workflowId != null) {
                q.setParameter("w", workflowId);
            }
            return q.setFirstResult(offset).setMaxResults(limit).getResultList().stream()
                    .map(RunRecord::view)
                    .toList();
        });
    }

    public long countRuns(String workflowId) {
        return db.inTransaction(em -> {
            var q = em.createQuery(
                    "select count(r) from RunRecord r where r.deletedAt is null"
                            + (workflowId == null ? "" : " and r.workflowId = :w"),
                    Long.class);
            if (workflowId != null) {
                q.setParameter("w", workflowId);
            }
            return q.getSingleResult();
        });
    }

    /** Every item's state per task, in item order: what the grid draws, one small row per item. */
    public Map<String, List<TaskState>> itemStates(String runId) {
        return db.inTransaction(em -> {
            Map<String, List<TaskState>> states = new LinkedHashMap<>();
            em.createQuery(
                            "select i.taskId, i.state from TaskInstanceRecord i where i.runId = :run"
                                    + " order by i.taskId, i.itemIndex",
                            Object[].class)
                    .setParameter("run", runId)
                    .getResultList()
                    .forEach(r -> states.computeIfAbsent((String) r[0], k -> new ArrayList<>())
                            .add((TaskState) r[1]));
            return states;
        });
    }

    /** A page of a task's items in index order, all or those in one state (null: all). */
    public List<TaskInstance> items(String runId, String taskId, TaskState state, int limit, int offset) {
        return db.inTransaction(em -> {
            var q = em.createQuery(
                            "select i from TaskInstanceRecord i where i.runId = :run and i.taskId = :task"
                                    + (state == null ? "" : " and i.state = :state") + " order by i.itemIndex",
                            TaskInstanceRecord.class)
                    .setParameter("run", runId)
                    .setParameter("task", taskId);
            if (state != null) {
                q.setParameter("state", state);
            }
            return q.setFirstResult(offset).setMaxResults(limit).getResultList().stream()
                    .map(TaskInstanceRecord::view)
                    .toList();
        });
    }

    public long countItems(String runId, String taskId, TaskState state) {
        return db.inTransaction(em -> {
            var q = em.createQuery(
                            "select count(i) from TaskInstanceRecord i where i.runId = :run and i.taskId = :task"
                                    + (state == null ? "" : " and i.state = :state"),
                            Long.class)
                    .setParameter("run", runId)
                    .setParameter("task", taskId);
            if (state != null) {
                q.setParameter("state", state);
            }
            return q.getSingleResult();
        });
    }

    /** Every recorded attempt of an instance, oldest first. */
    public List<Attempt> attempts(long instanceId) {
        return db.inTransaction(em -> em
                .createQuery(
                        "select a from TaskAttemptRecord a where a.instanceId = :i" + " order by a.attempt, a.id",
                        TaskAttemptRecord.class)
                .setParameter("i", instanceId)
                .getResultList()
                .stream()
                .map(TaskAttemptRecord::view)
                .toList());
    }
}
