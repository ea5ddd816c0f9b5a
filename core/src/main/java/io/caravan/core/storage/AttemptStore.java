package io.caravan.core.storage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;

import io.caravan.core.runs.TaskState;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

/**
 * Task instances under a lease: claimed by one engine, renewed while it works, and ended by it only while
 * the lease is still its own, so a late answer from an engine that lost its lease changes nothing.
 */
public final class AttemptStore {
    private final Database db;

    AttemptStore(Database db) {
        this.db = db;
    }

    /**
     * Takes up to {@code limit} READY instances of one task whose start time has come. Rows another
     * engine is claiming right now are skipped, not waited for.
     */
    public List<Claim> claim(String runId, String taskId, int limit, String owner, Duration lease, Instant now) {
        return claim(runId, taskId, limit, null, null, owner, lease, now);
    }

    /**
     * Like {@link #claim(String, String, int, String, java.time.Duration, Instant)}, but only instances not yet
     * placed or placed on one of {@code hosts} (null: any); those whose job already runs on a host come first.
     *
     * @param placeOn the one host a task aimed at a connection runs on, recorded with the claim; null for a pool,
     *                whose host is chosen when a slot is free
     */
    public List<Claim> claim(
            String runId,
            String taskId,
            int limit,
            Collection<String> hosts,
            String placeOn,
            String owner,
            Duration lease,
            Instant now) {
        if (limit <= 0 || hosts != null && hosts.isEmpty()) {
            return List.of();
        }
        return db.inTransaction(em -> {
            var query = em.createNativeQuery("SELECT id FROM task_instances WHERE run_id = ?1 AND task_id = ?2"
                            + " AND state = 'READY' AND next_attempt_at <= ?3"
                            + (hosts == null ? "" : " AND (host IS NULL OR host IN (?4))")
                            + " ORDER BY CASE WHEN host IS NULL THEN 1 ELSE 0 END, item_index"
                            + " FETCH FIRST " + limit + " ROWS ONLY FOR UPDATE SKIP LOCKED")
                    .setParameter(1, runId)
                    .setParameter(2, taskId)
                    .setParameter(3, now);
            if (hosts != null) {
                query.setParameter(4, hosts);
            }
            List<Long> ids = ((List<?>) query.getResultList())
                    .stream().map(id -> ((Number) id).longValue()).toList();
            if (ids.isEmpty()) {
                return List.<Claim>of();
            }
            // locked above; loaded in one query rather than one per row
            Map<Long, TaskInstanceRecord> instances = new HashMap<>();
            em.createQuery("select i from TaskInstanceRecord i where i.id in :ids", TaskInstanceRecord.class)
                    .setParameter("ids", ids)
                    .getResultList()
                    .forEach(i -> instances.put(i.id(), i));
            List<Claim> claims = new ArrayList<>();
            for (long id : ids) {
                TaskInstanceRecord instance = instances.get(id);
                String token = UUID.randomUUID().toString();
                instance.lease(owner, token, now.plus(lease), now);
                if (placeOn != null) {
                    instance.placedOn(placeOn);
                }
                claims.add(new Claim(
                        instance.id(),
                        runId,
                        taskId,
                        instance.itemIndex(),
                        instance.itemJson(),
                        instance.attempt(),
                        instance.maxAttempts(),
                        token,
                        instance.host()));
            }
            return claims;
        });
    }

    /**
     * Records how an attempt ended; false when the lease was lost (another engine owns the instance now). The
     * job directory that is to go now (or null) is written down in the same transaction, so that it is never
     * forgotten by an engine that dies before removing it.
     */
    public boolean complete(
            Claim claim, TaskState end, String outputJson, String error, OwedDirectory cleanupDue, Instant now) {
        return end(List.of(AttemptEnd.ended(claim, end, outputJson, error, cleanupDue)), now)
                .get(0);
    }

    /**
     * Records many attempts' ends in one transaction; for each, whether it was recorded (false: its lease was
     * lost). Rows are locked in id order, so engines recording overlapping batches never deadlock.
     */
    public List<Boolean> end(List<AttemptEnd> ends, Instant now) {
        if (ends.isEmpty()) {
            return List.of();
        }
        return db.inTransaction(em -> {
            Map<Long, TaskInstanceRecord> locked = new HashMap<>();
            em.createQuery(
                            "select i from TaskInstanceRecord i where i.id in :ids order by i.id",
                            TaskInstanceRecord.class)
                    .setParameter(
                            "ids",
                            ends.stream().map(e -> e.claim().instanceId()).toList())
                    .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                    .getResultList()
                    .forEach(i -> locked.put(i.id(), i));
            Map<String, CleanupDebtRecord> owed = owed(em, ends);
            List<Boolean> recorded = new ArrayList<>();
            for (AttemptEnd e : ends) {
                TaskInstanceRecord instance = locked.get(e.claim().instanceId());
                boolean ours = instance != null && e.claim().token().equals(instance.leaseToken());
                if (ours) {
                    record(em, instance, e, now, owed);
                }
                recorded.add(ours);
            }
            return recorded;
        });
    }

    private static void record(
            EntityManager em,
            TaskInstanceRecord instance,
            AttemptEnd e,
            Instant now,
            Map<String, CleanupDebtRecord> owed) {
        em.persist(new TaskAttemptRecord(
                instance.id(), instance.attempt(), e.state(), instance.startedAt(), now, e.error()));
        if (e.cleanupDue() != null) {
            CleanupDebtRecord removal =
                    CleanupDebtRecord.underWay(e.cleanupDue(), instance.runId(), instance.leaseOwner(), now);
            CleanupDebtRecord debt = owed.get(directoryKey(removal));
            if (debt == null) {
                em.persist(removal);
            } else {
                debt.becomes(removal); // one record per directory
            }
        }
        if (e.logPath() != null) {
            instance.logAt(e.logPath());
        }
        if (e.retryAt() != null) {
            instance.retryAt(e.retryAt(), e.error());
        } else {
            instance.finish(e.state(), e.outputJson(), e.error(), now);
            instance.leftOnHost(e.leftOnHost());
        }
    }

    /**
     * Debts already owed for the directories whose removal these ends put under way (adopted jobs', left on a host
     * that was given up on), by {@link #directoryKey}: one query for the batch, usually finding none.
     */
    private static Map<String, CleanupDebtRecord> owed(EntityManager em, List<AttemptEnd> ends) {
        List<String> jobs = ends.stream()
                .filter(e -> e.cleanupDue() != null)
                .map(e -> e.cleanupDue().jobId())
                .toList();
        Map<String, CleanupDebtRecord> owed = new HashMap<>();
        for (int k = 0; k < jobs.size(); k += 500) {
            em.createQuery("select d from CleanupDebtRecord d where d.jobId in :ids", CleanupDebtRecord.class)
                    .setParameter("ids", jobs.subList(k, Math.min(jobs.size(), k + 500)))
                    .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                    .getResultList()
                    .forEach(d -> owed.put(directoryKey(d), d));
        }
        return owed;
    }

    private static String directoryKey(CleanupDebtRecord d) {
        return String.join("\n", d.host(), String.valueOf(d.port()), d.user(), d.baseDir(), d.jobId());
    }

    private boolean withLease(Claim claim, BiConsumer<EntityManager, TaskInstanceRecord> change) {
        return db.inTransaction(em -> {
            TaskInstanceRecord instance =
                    em.find(TaskInstanceRecord.class, claim.instanceId(), LockModeType.PESSIMISTIC_WRITE);
            if (instance == null || !claim.token().equals(instance.leaseToken())) {
                return false;
            }
            change.accept(em, instance);
            return true;
        });
    }

    /** An engine that stops cleanly hands back what it holds: READY again at once, attempts kept. */
    public void giveBack(Collection<Claim> claims, Instant now) {
        for (Claim claim : claims) {
            withLease(claim, (em, instance) -> instance.interrupted(now));
        }
    }

    /** Extends the leases of instances this engine is still working on. */
    public void renew(Collection<String> tokens, Instant expires) {
        if (tokens.isEmpty()) {
            return;
        }
        db.inTransaction(em -> em.createQuery("update TaskInstanceRecord i set i.leaseExpiresAt = :expires"
                        + " where i.leaseToken in :tokens")
                .setParameter("expires", expires)
                .setParameter("tokens", tokens)
                .executeUpdate());
    }
}
