package io.caravan.core.storage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

import io.caravan.core.runs.TaskState;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import org.hibernate.Session;

/**
 * Task instances under a lease: claimed by one engine, renewed while it works, and ended by it only while
 * the lease is still its own, so a late answer from an engine that lost its lease changes nothing.
 */
public final class AttemptStore {
    /** Instances whose leases one statement renews: well under the databases' limits on bound parameters. */
    private static final int RENEW_CHUNK = 1000;

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
        return db.inTransaction(em -> em.unwrap(Session.class)
                .doReturningWork(c -> AttemptRows.claim(
                        c,
                        runId,
                        taskId,
                        limit,
                        hosts,
                        placeOn,
                        owner,
                        now.plus(lease),
                        now,
                        !db.config().postgres())));
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
            Session session = em.unwrap(Session.class);
            Map<Long, AttemptRows.Locked> locked = session.doReturningWork(c -> AttemptRows.lock(
                    c, ends.stream().map(e -> e.claim().instanceId()).toList()));
            Map<String, CleanupDebtRecord> owed = owed(em, ends);
            List<Map.Entry<AttemptRows.Locked, AttemptEnd>> ours = new ArrayList<>();
            List<Boolean> recorded = new ArrayList<>();
            for (AttemptEnd e : ends) {
                AttemptRows.Locked row = locked.get(e.claim().instanceId());
                boolean held = row != null && e.claim().token().equals(row.leaseToken());
                if (held) {
                    locked.remove(row.id()); // ended: a second end of it in this batch finds its lease gone
                    ours.add(Map.entry(row, e));
                    owe(em, row, e, now, owed);
                }
                recorded.add(held);
            }
            session.doWork(c -> AttemptRows.end(c, ours, now));
            return recorded;
        });
    }

    /** The job directory whose removal this end puts under way, written down: one record per directory. */
    private static void owe(
            EntityManager em, AttemptRows.Locked row, AttemptEnd e, Instant now, Map<String, CleanupDebtRecord> owed) {
        if (e.cleanupDue() == null) {
            return;
        }
        CleanupDebtRecord removal = CleanupDebtRecord.underWay(e.cleanupDue(), row.runId(), row.leaseOwner(), now);
        CleanupDebtRecord debt = owed.get(directoryKey(removal));
        if (debt == null) {
            em.persist(removal);
        } else {
            debt.becomes(removal);
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

    /**
     * Extends the leases of the instances this engine still holds: each by its id and its claim's token, since a
     * claimed batch shares one token and an instance of it that this engine let go (its end could not be recorded)
     * must lapse, so that it is taken back, while the others of its batch run on.
     */
    public void renew(Collection<Claim> held, Instant expires) {
        List<Claim> all = List.copyOf(held);
        for (int from = 0; from < all.size(); from += RENEW_CHUNK) {
            List<Claim> chunk = all.subList(from, Math.min(all.size(), from + RENEW_CHUNK));
            db.inTransaction(em -> em.createQuery("update TaskInstanceRecord i set i.leaseExpiresAt = :expires"
                            + " where i.leaseToken in :tokens and i.id in :ids")
                    .setParameter("expires", expires)
                    .setParameter("tokens", chunk.stream().map(Claim::token).collect(Collectors.toSet()))
                    .setParameter("ids", chunk.stream().map(Claim::instanceId).toList())
                    .executeUpdate());
        }
    }
}
