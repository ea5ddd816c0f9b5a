package io.caravan.core.storage;

import java.time.Instant;
import java.util.List;

/** Cleanup debts: recorded when in-process retries run out, settled when the directory is finally gone. */
public final class DebtStore {
    private final Database db;

    public DebtStore(Database db) {
        this.db = db;
    }

    /** Records a debt, or updates the one already recorded for the same job directory. */
    public void record(CleanupDebtRecord debt) {
        db.inTransaction(em -> {
            List<CleanupDebtRecord> same = em.createQuery("select d from CleanupDebtRecord d where d.host = :h and d.port = :p"
                            + " and d.user = :u and d.baseDir = :b and d.jobId = :j", CleanupDebtRecord.class)
                    .setParameter("h", debt.host()).setParameter("p", debt.port()).setParameter("u", debt.user())
                    .setParameter("b", debt.baseDir()).setParameter("j", debt.jobId()).getResultList();
            if (same.isEmpty()) {
                em.persist(debt);
            } else {
                same.get(0).failedAgain(debt.reason(), debt.nextAttemptAt());
            }
            return null;
        });
    }

    public int count() {
        return db.inTransaction(em -> em.createQuery("select count(d) from CleanupDebtRecord d", Long.class)
                .getSingleResult().intValue());
    }

    public List<CleanupDebtRecord> all() {
        return db.inTransaction(em -> em.createQuery("select d from CleanupDebtRecord d order by d.createdAt, d.id",
                CleanupDebtRecord.class).getResultList());
    }

    public List<CleanupDebtRecord> due(Instant now) {
        return db.inTransaction(em -> em.createQuery("select d from CleanupDebtRecord d where d.nextAttemptAt <= :now"
                + " order by d.nextAttemptAt", CleanupDebtRecord.class).setParameter("now", now).getResultList());
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

    public void failedAgain(long id, String why, Instant next) {
        db.inTransaction(em -> {
            CleanupDebtRecord d = em.find(CleanupDebtRecord.class, id);
            if (d != null) {
                d.failedAgain(why, next);
            }
            return null;
        });
    }
}
