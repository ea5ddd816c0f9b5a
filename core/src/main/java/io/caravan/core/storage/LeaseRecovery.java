package io.caravan.core.storage;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

import io.caravan.core.jobs.DirectoryRule;
import io.caravan.core.runs.TaskState;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.TypedQuery;

/**
 * Takes back instances their engine let go of without finishing them. The attempt number, and so the job
 * and its host, is kept, so the next engine adopts a remote job that is still running instead of starting it
 * again; an attempt whose engine keeps dying under it uses up its attempts like any failure.
 */
public final class LeaseRecovery {
    private final Database db;

    LeaseRecovery(Database db) {
        this.db = db;
    }

    /** Times an attempt's engine may die or stall under it before that counts as a failed attempt. */
    public static final int MAX_INTERRUPTIONS = 3;

    /**
     * Instances whose lease expired (their engine died or stalled) are READY again, attempt and host kept, so
     * the next engine adopts the job already running; one that keeps killing its engine uses up its attempts.
     */
    public int reclaimExpired(Instant now) {
        return reclaim(
                em -> em.createQuery(
                                "select i from TaskInstanceRecord i where i.state = :running"
                                        + " and i.leaseExpiresAt < :now",
                                TaskInstanceRecord.class)
                        .setParameter("now", now),
                true,
                now);
    }

    /**
     * What a node that died held is READY again at once, as if its leases had expired; the removals it had
     * under way (outcomes recorded, directories not yet gone) are debts due now.
     */
    public int reclaimOwner(String owner, Instant now) {
        new DebtStore(db).releaseHolder(owner, now);
        return reclaim(
                em -> em.createQuery(
                                "select i from TaskInstanceRecord i where i.state = :running"
                                        + " and i.leaseOwner = :owner",
                                TaskInstanceRecord.class)
                        .setParameter("owner", owner),
                true,
                now);
    }

    /**
     * Resuming a run whose engine is known to be gone: its running instances are READY again, attempts kept,
     * and the removals that engine had under way are debts due now.
     */
    public int reclaimRun(String runId, Instant now) {
        new DebtStore(db).releaseRun(runId, now);
        return reclaim(
                em -> em.createQuery(
                                "select i from TaskInstanceRecord i where i.state = :running" + " and i.runId = :run",
                                TaskInstanceRecord.class)
                        .setParameter("run", runId),
                false,
                now);
    }

    /**
     * Takes up again every item of an ended run whose job was left on a host given up on, each with its same
     * attempt (so the job is adopted where it ran on or finished), and reopens the run; {@code downstream} gives
     * the tasks depending on a task. The debts of those jobs' directories are held by {@code engine} meanwhile
     * ({@link io.caravan.core.jobs.DirectoryRule#adoptedDebtHold}). How many items were taken up; 0, and nothing
     * changed, if none was.
     */
    public int takeUpLeftOnHost(
            String runId, Function<String, Collection<String>> downstream, String engine, Instant now) {
        return db.inTransaction(em -> {
            RunRecord run = em.find(RunRecord.class, runId, LockModeType.PESSIMISTIC_WRITE);
            List<TaskInstanceRecord> left = em.createQuery(
                            "select i from TaskInstanceRecord i where i.runId = :run"
                                    + " and i.state = :failed and i.leftOnHost = true",
                            TaskInstanceRecord.class)
                    .setParameter("run", runId)
                    .setParameter("failed", TaskState.FAILED)
                    .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                    .getResultList();
            if (run == null || left.isEmpty()) {
                return 0;
            }
            holdForAdoption(em, runId, left, engine, now);
            left.forEach(i -> i.takeUpLeftOnHost(now));
            left.stream()
                    .map(TaskInstanceRecord::taskId)
                    .distinct()
                    .forEach(task -> RunControl.reopen(em, run, task, downstream.apply(task), now));
            return left.size();
        });
    }

    /**
     * The debts of the directories of jobs about to be adopted are held by {@code holder} (as removals under way)
     * for {@link io.caravan.core.jobs.DirectoryRule#adoptedDebtHold}, so that no debt retry removes one under its
     * adopted job.
     */
    static void holdForAdoption(
            EntityManager em, String runId, List<TaskInstanceRecord> adopted, String holder, Instant now) {
        List<String> jobs = adopted.stream()
                .map(i -> DirectoryRule.jobId(runId, i.taskId(), i.itemIndex(), i.attempt()))
                .toList();
        for (int k = 0; k < jobs.size(); k += 500) {
            em.createQuery("update CleanupDebtRecord d set d.holder = :holder, d.runId = :run, d.nextAttemptAt = :until"
                            + " where d.jobId in :ids and d.holder is null")
                    .setParameter("holder", holder)
                    .setParameter("run", runId)
                    .setParameter("until", now.plus(DirectoryRule.adoptedDebtHold()))
                    .setParameter("ids", jobs.subList(k, Math.min(jobs.size(), k + 500)))
                    .executeUpdate();
        }
    }

    private int reclaim(Function<EntityManager, TypedQuery<TaskInstanceRecord>> query, boolean limited, Instant now) {
        return db.inTransaction(em -> {
            List<TaskInstanceRecord> orphans = query.apply(em)
                    .setParameter("running", TaskState.RUNNING)
                    .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                    .getResultList();
            for (TaskInstanceRecord i : orphans) {
                String why = "engine " + i.leaseOwner() + " stopped during attempt " + i.attempt();
                em.persist(new TaskAttemptRecord(i.id(), i.attempt(), TaskState.FAILED, i.startedAt(), now, why));
                if (!limited) {
                    i.interrupted(now);
                } else if (i.interruptions() < MAX_INTERRUPTIONS) {
                    i.lapsed(now);
                } else if (i.attempt() < i.maxAttempts()) {
                    i.retryAt(now, why + " (" + MAX_INTERRUPTIONS + " times)");
                } else {
                    i.finish(TaskState.FAILED, null, why + " (" + MAX_INTERRUPTIONS + " times)", now);
                }
            }
            return orphans.size();
        });
    }
}
