package io.caravan.core.storage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.caravan.core.runs.RunState;
import io.caravan.core.runs.TaskState;
import jakarta.persistence.EntityManager;

/**
 * A schedule firing's run under its workflow's max_active_runs, and the turn a queued one waits for. The active
 * runs are counted in the transaction that creates the run, under one lock row that every node's firings take, so
 * the limit holds across a cluster.
 */
final class Firings {
    private static final List<RunState> ACTIVE = List.of(RunState.QUEUED, RunState.RUNNING);
    private final Database db;

    Firings(Database db) {
        this.db = db;
    }

    /**
     * The firing's run; empty when its slot has its run already. With {@code skipAt} runs of the workflow active
     * (0: never), the run is recorded as skipped (cancelled, with the reason) and not to be driven.
     */
    Optional<Run> create(
            String workflowId,
            String trigger,
            Instant slot,
            int skipAt,
            String paramsJson,
            String sourcePath,
            String sourceYaml,
            List<String> taskIds,
            Instant now) {
        return db.inTransaction(em -> {
            em.createNativeQuery("SELECT id FROM firing_lock WHERE id = 1 FOR UPDATE")
                    .getResultList();
            boolean slotTaken = !em.createQuery(
                            "select r.id from RunRecord r where r.workflowId = :w and r.scheduledFor = :slot",
                            String.class)
                    .setParameter("w", workflowId)
                    .setParameter("slot", slot)
                    .getResultList()
                    .isEmpty();
            if (slotTaken) {
                return Optional.<Run>empty();
            }
            long active = active(em, workflowId);
            RunRecord run = new RunRecord(
                    UUID.randomUUID().toString(), workflowId, trigger, paramsJson, sourcePath, sourceYaml, now);
            run.scheduledFor(slot);
            boolean skip = skipAt > 0 && active >= skipAt;
            if (skip) {
                run.finish(RunState.CANCELLED, now);
                run.reason("skipped: " + active + " run(s) of the workflow active (max_active_runs " + skipAt
                        + ", overlap: skip)");
            }
            em.persist(run);
            for (String taskId : taskIds) {
                RunTaskRecord task = new RunTaskRecord(run.id(), taskId, now);
                if (skip) {
                    task.finish(TaskState.CANCELLED, null, now);
                }
                em.persist(task);
            }
            return Optional.of(run.view());
        });
    }

    /**
     * Whether a queued run must wait: {@code maxActive} other runs of its workflow are running, or queued before it
     * (so queued runs start in the order they were created).
     */
    boolean mustWait(Run run, int maxActive) {
        long ahead = db.inTransaction(em -> em.createQuery(
                        "select count(r) from RunRecord r where r.workflowId = :w"
                                + " and r.id <> :id and r.deletedAt is null and (r.state = :running or (r.state = :queued"
                                + " and (r.createdAt < :created or (r.createdAt = :created and r.id < :id))))",
                        Long.class)
                .setParameter("w", run.workflowId())
                .setParameter("id", run.id())
                .setParameter("running", RunState.RUNNING)
                .setParameter("queued", RunState.QUEUED)
                .setParameter("created", run.createdAt())
                .getSingleResult());
        return ahead >= maxActive;
    }

    private static long active(EntityManager em, String workflowId) {
        return em.createQuery(
                        "select count(r) from RunRecord r where r.workflowId = :w and r.state in :active"
                                + " and r.deletedAt is null",
                        Long.class)
                .setParameter("w", workflowId)
                .setParameter("active", ACTIVE)
                .getSingleResult();
    }
}
