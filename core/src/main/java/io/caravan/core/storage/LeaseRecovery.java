package io.caravan.core.storage;

import java.time.Instant;
import java.util.List;

import io.caravan.core.runs.TaskState;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

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
        return reclaim(em -> em.createQuery("select i from TaskInstanceRecord i where i.state = :running"
                + " and i.leaseExpiresAt < :now", TaskInstanceRecord.class).setParameter("now", now), true, now);
    }

    /**
     * What a node that died held is READY again at once, as if its leases had expired; the removals it had
     * under way (outcomes recorded, directories not yet gone) are debts due now.
     */
    public int reclaimOwner(String owner, Instant now) {
        new DebtStore(db).releaseHolder(owner, now);
        return reclaim(em -> em.createQuery("select i from TaskInstanceRecord i where i.state = :running"
                + " and i.leaseOwner = :owner", TaskInstanceRecord.class).setParameter("owner", owner), true, now);
    }

    /**
     * Resuming a run whose engine is known to be gone: its running instances are READY again, attempts kept,
     * and the removals that engine had under way are debts due now.
     */
    public int reclaimRun(String runId, Instant now) {
        new DebtStore(db).releaseRun(runId, now);
        return reclaim(em -> em.createQuery("select i from TaskInstanceRecord i where i.state = :running"
                + " and i.runId = :run", TaskInstanceRecord.class).setParameter("run", runId), false, now);
    }

    private int reclaim(java.util.function.Function<EntityManager, jakarta.persistence.TypedQuery<TaskInstanceRecord>> query,
                        boolean limited, Instant now) {
        return db.inTransaction(em -> {
            List<TaskInstanceRecord> orphans = query.apply(em).setParameter("running", TaskState.RUNNING)
                    .setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
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
