package io.caravan.core.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.caravan.core.threads.Background;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import jakarta.persistence.LockTimeoutException;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.Persistence;
import jakarta.persistence.PessimisticLockException;
import org.flywaydb.core.Flyway;
import org.hibernate.StaleStateException;

/** The pooled database: HikariCP, then Flyway's migrations, then Hibernate on top. */
public final class Database implements AutoCloseable {
    private final DatabaseConfig config;
    private final HikariDataSource dataSource;
    private final EntityManagerFactory entityManagers;
    private final DatabaseHolder holder;
    private static final String TRACE_FILE = "caravan.trace.db";

    private Database(
            DatabaseConfig config,
            HikariDataSource dataSource,
            EntityManagerFactory entityManagers,
            DatabaseHolder holder) {
        this.holder = holder;
        this.config = config;
        this.dataSource = dataSource;
        this.entityManagers = entityManagers;
    }

    /**
     * @throws DatabaseHolder.HeldException when the database is an embedded one another process holds
     */
    public static Database open(DatabaseConfig config) {
        Optional<Path> embedded = config.embeddedDirectory();
        DatabaseHolder holder = embedded.map(DatabaseHolder::acquire).orElse(null);
        try {
            if (embedded.isPresent()) {
                // H2 appends its trace (SQL errors, with their statements) to this file, created later with the umask's
                // mode
                OwnerOnly.createFile(embedded.get().resolve(TRACE_FILE));
            }
            Database db = open(config, holder);
            if (embedded.isPresent()) {
                OwnerOnly.tighten(embedded.get());
            }
            return db;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restrict the database files to their owner", e);
        } catch (RuntimeException | Error e) {
            if (holder != null) {
                holder.close();
            }
            throw e;
        }
    }

    private static Database open(DatabaseConfig config, DatabaseHolder holder) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(config.url());
        if (config.user() != null) {
            hikari.setUsername(config.user());
        }
        if (config.password() != null) {
            hikari.setPassword(config.password().reveal());
        }
        hikari.setMaximumPoolSize(config.poolSize());
        if (config.postgres()) {
            // a JDBC batch of inserts (a fan-out's instances, a batch's attempts) goes as multi-row INSERTs
            hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        hikari.setPoolName("caravan-db");
        // started here, not at a first connection: an unreachable database fails here, once, with the driver's reason
        HikariDataSource dataSource = new HikariDataSource(hikari);
        Background<Void> migrated = null;
        EntityManagerFactory emf = null;
        try {
            // Hibernate's boot reads no table (no schema validation): it and the migration overlap, and nothing uses
            // the database before both are done
            migrated = Background.start("caravan-migrate", () -> migrate(config, dataSource));
            emf = Persistence.createEntityManagerFactory(
                    "caravan",
                    Map.of(
                            "jakarta.persistence.nonJtaDataSource", dataSource,
                            "hibernate.hbm2ddl.auto", "none",
                            // the entities are listed in persistence.xml: without this, every open parsed each class
                            // of core's jar looking for more (a third of Hibernate's boot)
                            "hibernate.archive.scanner", "org.hibernate.boot.archive.scan.internal.DisabledScanner",
                            "hibernate.jdbc.batch_size", "100",
                            "hibernate.order_inserts", "true",
                            "hibernate.order_updates", "true"));
            migrated.join();
            return new Database(config, dataSource, emf, holder);
        } catch (RuntimeException | Error e) {
            // nothing is closed while the migration still runs (the caller releases the file lock next), and its
            // failure, the likelier first cause, is the one told
            Throwable migration = migrated == null ? null : migrated.failure();
            if (emf != null) {
                emf.close();
            }
            dataSource.close();
            if (migration != null && migration != e) {
                migration.addSuppressed(e);
                if (migration instanceof RuntimeException first) {
                    throw first;
                }
                if (migration instanceof Error first) {
                    throw first;
                }
            }
            throw e;
        }
    }

    /** Common migrations, plus each vendor's own (Quartz's job store tables differ in types). */
    private static Void migrate(DatabaseConfig config, DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration", "classpath:db/vendor/" + (config.postgres() ? "postgresql" : "h2"))
                .load()
                .migrate();
        return null;
    }

    /** Runs work in one transaction; rolls back if it throws. */
    public <T> T inTransaction(Function<EntityManager, T> work) {
        EntityManager em = entityManagers.createEntityManager();
        EntityTransaction tx = em.getTransaction();
        try {
            tx.begin();
            T result = work.apply(em);
            tx.commit();
            return result;
        } catch (RuntimeException e) {
            if (tx.isActive()) {
                tx.rollback();
            }
            throw e;
        } finally {
            em.close();
        }
    }

    /**
     * As {@link #inTransaction}, done again from the start when another transaction changed or held the same rows
     * first (an optimistic or pessimistic lock conflict): for writes by hand, like a cancel, that race the engine's
     * own steps on a run. At most {@value #CONFLICT_ATTEMPTS} times, after a short jittered pause; any other failure,
     * and the last conflict, is thrown as it came.
     */
    public <T> T inTransactionRetryingConflicts(Function<EntityManager, T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return inTransaction(work);
            } catch (RuntimeException e) {
                if (attempt >= CONFLICT_ATTEMPTS || !isLockConflict(e)) {
                    throw e;
                }
                pauseBeforeRetry(attempt);
            }
        }
    }

    static final int CONFLICT_ATTEMPTS = 4;

    static boolean isLockConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OptimisticLockException
                    || t instanceof PessimisticLockException
                    || t instanceof LockTimeoutException
                    || t instanceof StaleStateException) {
                return true;
            }
        }
        return false;
    }

    private static void pauseBeforeRetry(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(10, 50) * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to write again", e);
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public DatabaseConfig config() {
        return config;
    }

    /** This process's hold on an embedded database; empty for a database server. */
    public Optional<DatabaseHolder> holder() {
        return Optional.ofNullable(holder);
    }

    /**
     * Closes the database itself too (H2 is told not to on JVM exit, and closes an embedded database when its
     * last connection does): the last thing an engine does.
     */
    @Override
    public void close() {
        try {
            entityManagers.close();
            dataSource.close();
            if (holder != null) {
                OwnerOnly.tighten(holder.directory()); // anything H2 created since, with the umask's mode
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restrict the database files to their owner", e);
        } finally {
            if (holder != null) {
                holder.close();
            }
        }
    }
}
