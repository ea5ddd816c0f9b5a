package io.caravan.core.storage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

/**
 * Cleanup debts: recorded when in-process retries run out, settled when the directory is finally gone. A
 * removal under way (see {@link CleanupDebt#holder()}) is not a debt until its holder dies or its grace
 * runs out.
 */
public final class DebtStore {
    private static final String VISIBLE = " (d.holder is null or d.nextAttemptAt <= :now)";
    private static final int IN_LIST = 500;

    private final Database db;

    public DebtStore(Database db) {
        this.db = db;
    }

    /**
     * Records a debt for the directory {@code dir}, due for a retry at {@code next}, or updates the one already recorded
     * (or under way) for it.
     *
     * @param runId the run whose job left the directory, or null when not known
     */
    public void record(OwedDirectory dir, String runId, String reason, Instant next, Instant now) {
        CleanupDebtRecord debt = new CleanupDebtRecord(dir, runId, null, reason, next, now);
        db.inTransaction(em -> {
            List<CleanupDebtRecord> same = sameDirectory(em, debt);
            if (same.isEmpty()) {
                em.persist(debt);
            } else {
                same.get(0).failedAgain(debt.reason(), debt.nextAttemptAt());
            }
            return null;
        });
    }

    /** What is recorded (owed or under way) for the directory of {@code debt}: one record at most, locked. */
    private static List<CleanupDebtRecord> sameDirectory(EntityManager em, CleanupDebtRecord debt) {
        return em.createQuery(
                        "select d from CleanupDebtRecord d where d.host = :h and d.port = :p"
                                + " and d.user = :u and d.baseDir = :b and d.jobId = :j",
                        CleanupDebtRecord.class)
                .setParameter("h", debt.host())
                .setParameter("p", debt.port())
                .setParameter("u", debt.user())
                .setParameter("b", debt.baseDir())
                .setParameter("j", debt.jobId())
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList();
    }

    /** Debts at {@code now}: removals under way within their grace are not counted. */
    public int count(Instant now) {
        return db.inTransaction(
                em -> em.createQuery("select count(d) from CleanupDebtRecord d where" + VISIBLE, Long.class)
                        .setParameter("now", now)
                        .getSingleResult()
                        .intValue());
    }

    /** Debts at {@code now}, oldest first. */
    public List<CleanupDebt> all(Instant now) {
        return db.inTransaction(em -> em
                .createQuery(
                        "select d from CleanupDebtRecord d where" + VISIBLE + " order by d.createdAt, d.id",
                        CleanupDebtRecord.class)
                .setParameter("now", now)
                .getResultList()
                .stream()
                .map(CleanupDebtRecord::view)
                .toList());
    }

    /** Debts due for a retry, removals whose holder let their grace run out among them. */
    public List<CleanupDebt> due(Instant now) {
        return db.inTransaction(em -> em
                .createQuery(
                        "select d from CleanupDebtRecord d where d.nextAttemptAt <= :now" + " order by d.nextAttemptAt",
                        CleanupDebtRecord.class)
                .setParameter("now", now)
                .getResultList()
                .stream()
                .map(CleanupDebtRecord::view)
                .toList());
    }

    public void settle(long id) {
        db.inTransaction(em -> {
            CleanupDebtRecord d = em.find(CleanupDebtRecord.class, id);
            if (d != null) {
                em.remove(d);
            }
            return null;
        });
    }

    /** The directories are gone: whatever was owed or under way for them is settled, one statement per place. */
    public void removed(List<OwedDirectory> gone) {
        if (gone.isEmpty()) {
            return;
        }
        Map<Place, List<String>> byPlace = new LinkedHashMap<>();
        gone.forEach(d -> byPlace.computeIfAbsent(
                        new Place(d.host(), d.port(), d.user(), d.baseDir()), k -> new ArrayList<>())
                .add(d.jobId()));
        db.inTransaction(em -> {
            byPlace.forEach((place, ids) -> {
                for (int i = 0; i < ids.size(); i += IN_LIST) {
                    deleteAt(em, place, ids.subList(i, Math.min(ids.size(), i + IN_LIST)));
                }
            });
            return null;
        });
    }

    private record Place(String host, int port, String user, String baseDir) {}

    private static void deleteAt(EntityManager em, Place place, List<String> ids) {
        em.createQuery("delete from CleanupDebtRecord d where d.host = :h and d.port = :p and d.user = :u"
                        + " and d.baseDir = :b and d.jobId in :ids")
                .setParameter("h", place.host())
                .setParameter("p", place.port())
                .setParameter("u", place.user())
                .setParameter("b", place.baseDir())
                .setParameter("ids", ids)
                .executeUpdate();
    }

    public void failedAgain(long id, String why, Instant next) {
        db.inTransaction(em -> {
            CleanupDebtRecord d = em.find(CleanupDebtRecord.class, id);
            if (d != null) {
                d.failedAgain(why, next);
            }
            return null;
        });
    }

    /** The engine {@code holder} is gone: the removals it had under way are debts due now. */
    public int releaseHolder(String holder, Instant now) {
        return release(
                em -> em.createQuery("select d from CleanupDebtRecord d where d.holder = :h", CleanupDebtRecord.class)
                        .setParameter("h", holder)
                        .getResultList(),
                now);
    }

    /** A run is resumed because its engine is gone: the removals that engine had under way are debts due now. */
    public int releaseRun(String runId, Instant now) {
        return release(
                em -> em.createQuery(
                                "select d from CleanupDebtRecord d where d.runId = :r and d.holder is not null",
                                CleanupDebtRecord.class)
                        .setParameter("r", runId)
                        .getResultList(),
                now);
    }

    private int release(Function<EntityManager, List<CleanupDebtRecord>> query, Instant now) {
        return db.inTransaction(em -> {
            List<CleanupDebtRecord> held = query.apply(em);
            held.forEach(d -> d.released(now));
            return held.size();
        });
    }

    /** Debts due now of one run's jobs. */
    public List<CleanupDebt> dueOfRun(String runId, Instant now) {
        return db.inTransaction(em -> em
                .createQuery(
                        "select d from CleanupDebtRecord d where d.runId = :r"
                                + " and d.nextAttemptAt <= :now order by d.id",
                        CleanupDebtRecord.class)
                .setParameter("r", runId)
                .setParameter("now", now)
                .getResultList()
                .stream()
                .map(CleanupDebtRecord::view)
                .toList());
    }
}
