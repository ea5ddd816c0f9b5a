package io.caravan.app.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

import io.caravan.core.runs.RunState;
import io.caravan.core.storage.Database;
import io.caravan.core.storage.DatabaseConfig;
import io.caravan.core.storage.OwnerOnly;
import io.caravan.core.storage.Run;
import io.caravan.core.storage.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code caravan runs} read with one JDBC query lists what the full database open lists, and steps aside otherwise. */
class RunListingTest {
    @TempDir
    Path home;

    @Test
    void listsTheSameRunsAsHibernateNewestFirst() {
        List<RunListing.Row> expected;
        try (Database db = Database.open(DatabaseConfig.embedded(home))) {
            RunStore store = new RunStore(db);
            Run first = store.createRun(
                    "alpha",
                    "manual",
                    "{}",
                    null,
                    "workflow: alpha",
                    List.of("t"),
                    Instant.parse("2026-01-01T00:00:00Z"));
            store.startRun(first.id(), Instant.parse("2026-01-01T00:00:01Z"));
            store.finishRun(first.id(), RunState.SUCCEEDED, Instant.parse("2026-01-01T00:00:03.5Z"));
            store.createRun(
                    "beta",
                    "schedule",
                    "{}",
                    null,
                    "workflow: beta",
                    List.of("t"),
                    Instant.parse("2026-01-02T00:00:00Z"));
            Run deleted = store.createRun(
                    "gamma",
                    "manual",
                    "{}",
                    null,
                    "workflow: gamma",
                    List.of("t"),
                    Instant.parse("2026-01-03T00:00:00Z"));
            store.deleteRun(deleted.id(), Instant.parse("2026-01-04T00:00:00Z"));
            expected = store.runs(20).stream().map(RunListing.Row::of).toList();
        }

        assertThat(expected).extracting(RunListing.Row::workflowId).containsExactly("beta", "alpha");
        assertThat(RunListing.embedded(home, 20)).contains(expected);
        assertThat(RunListing.embedded(home, 1).orElseThrow())
                .extracting(RunListing.Row::workflowId)
                .containsExactly("beta");
    }

    @Test
    void stepsAsideWhenThereIsNoDatabaseYetOrItsSchemaIsBehind() throws Exception {
        assertThat(RunListing.embedded(home, 20)).isEmpty();
        assertThat(home.resolve("db").resolve("caravan.mv.db"))
                .as("nothing created for the full open to trip on")
                .doesNotExist();

        try (Database db = Database.open(DatabaseConfig.embedded(home));
                Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.executeUpdate(
                    "DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '" + RunListing.shippedVersion() + "'");
        }
        assertThat(RunListing.shippedVersion()).isGreaterThan(1);
        assertThat(RunListing.embedded(home, 20)).isEmpty();
    }

    @Test
    void stepsAsideWhileAnotherHolderHasTheDatabase() {
        try (Database db = Database.open(DatabaseConfig.embedded(home))) {
            // this process holds it already: the holder is shared, so the listing works; another process's hold is
            // DatabaseHolder's to test, and any failure to hold falls back
            assertThat(RunListing.embedded(home, 20)).contains(List.of());
        }
    }

    @Test
    void answersFromTheKeptListingOnlyWhileTheDatabaseFileIsUnchanged() throws Exception {
        addRun("alpha");
        Path dir = home.resolve("db");
        Path kept = dir.resolve(ListingCache.FILE_NAME);
        Instant later = Instant.now().plus(ListingCache.QUIET).plusSeconds(1);

        List<RunListing.Row> first = RunListing.embedded(home, 20, later).orElseThrow();
        assertThat(first).extracting(RunListing.Row::workflowId).containsExactly("alpha");
        assertThat(kept).exists();
        assertThat(OwnerOnly.mode(kept)).isEqualTo("rw-------");

        // what is kept is what is answered: a listing planted for this very file is what the next call prints
        ListingCache cache = new ListingCache(dir);
        ListingCache.Stamp stamp =
                ListingCache.Stamp.of(dir.resolve("caravan.mv.db")).orElseThrow();
        RunListing.Row planted = new RunListing.Row(
                "planted", "kept", "SUCCEEDED", "manual", Instant.parse("2026-01-01T00:00:00Z"), null, null, null);
        cache.keep(stamp, stamp, RunListing.shippedVersion(), 20, List.of(planted), later);
        assertThat(RunListing.embedded(home, 20, later)).contains(List.of(planted));
        assertThat(RunListing.embedded(home, 5, later).orElseThrow())
                .as("another limit is another listing")
                .extracting(RunListing.Row::workflowId)
                .containsExactly("alpha");

        // any write to the database retires it
        addRun("beta");
        assertThat(RunListing.embedded(
                                home, 20, Instant.now().plus(ListingCache.QUIET).plusSeconds(1))
                        .orElseThrow())
                .extracting(RunListing.Row::workflowId)
                .containsExactly("beta", "alpha");
    }

    @Test
    void keepsNoListingOfADatabaseWrittenWithinTheQuietPeriod() throws Exception {
        addRun("alpha");
        Path file = home.resolve("db").resolve("caravan.mv.db");
        Instant written = Files.getLastModifiedTime(file).toInstant();

        assertThat(RunListing.embedded(home, 20, written.plusMillis(500))).isPresent();
        assertThat(home.resolve("db").resolve(ListingCache.FILE_NAME))
                .as("a write in the same clock tick could leave size and time unchanged")
                .doesNotExist();
    }

    @Test
    void aDamagedListingIsReadPastNotTrusted() throws Exception {
        addRun("alpha");
        Path dir = home.resolve("db");
        ListingCache.Stamp stamp =
                ListingCache.Stamp.of(dir.resolve("caravan.mv.db")).orElseThrow();
        byte[] valid;
        ListingCache cache = new ListingCache(dir);
        cache.keep(
                stamp,
                stamp,
                RunListing.shippedVersion(),
                20,
                List.of(),
                stamp.modified().plusSeconds(60));
        valid = Files.readAllBytes(dir.resolve(ListingCache.FILE_NAME));
        assertThat(cache.read(stamp, RunListing.shippedVersion(), 20)).contains(List.of());

        // cut short, and a row count far beyond the file's bytes
        Files.write(dir.resolve(ListingCache.FILE_NAME), java.util.Arrays.copyOf(valid, valid.length - 1));
        assertThat(cache.read(stamp, RunListing.shippedVersion(), 20)).isEmpty();
        byte[] huge = valid.clone();
        huge[huge.length - 1] = 0x7f;
        Files.write(dir.resolve(ListingCache.FILE_NAME), huge);
        assertThat(cache.read(stamp, RunListing.shippedVersion(), 20)).isEmpty();
        assertThat(RunListing.embedded(home, 20, Instant.now()).orElseThrow())
                .extracting(RunListing.Row::workflowId)
                .containsExactly("alpha");
    }

    private void addRun(String workflow) {
        try (Database db = Database.open(DatabaseConfig.embedded(home))) {
            new RunStore(db)
                    .createRun(workflow, "manual", "{}", null, "workflow: " + workflow, List.of("t"), Instant.now());
        }
    }
}
