package io.caravan.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.RollbackException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write by hand that loses a race with the engine is done again, a bounded number of times, and nothing else is. */
class ConflictRetryTest {
    @TempDir
    Path home;

    Database db;

    @BeforeEach
    void open() {
        db = Database.open(DatabaseConfig.embedded(home));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aConflictAtCommitIsWrittenAgainFromTheStart() {
        AtomicInteger calls = new AtomicInteger();
        String result = db.inTransactionRetryingConflicts(em -> {
            if (calls.incrementAndGet() < 3) {
                throw new RollbackException("commit failed", new OptimisticLockException("row changed"));
            }
            return "written";
        });
        assertThat(result).isEqualTo("written");
        assertThat(calls).hasValue(3);
    }

    @Test
    void conflictsWithoutEndAreThrownAfterTheCap() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> db.inTransactionRetryingConflicts(em -> {
                    calls.incrementAndGet();
                    throw new OptimisticLockException("row changed");
                }))
                .isInstanceOf(OptimisticLockException.class);
        assertThat(calls).hasValue(Database.CONFLICT_ATTEMPTS);
    }

    @Test
    void anyOtherFailureIsThrownAtOnce() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> db.inTransactionRetryingConflicts(em -> {
                    calls.incrementAndGet();
                    throw new IllegalArgumentException("bad value");
                }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(calls).hasValue(1);
    }
}
