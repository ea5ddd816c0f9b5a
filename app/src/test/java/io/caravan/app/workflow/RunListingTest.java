package io.caravan.app.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
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
        Path file = dir.resolve("caravan.mv.db");
        Path kept = dir.resolve(ListingCache.FILE_NAME);

        List<RunListing.Row> first = RunListing.embedded(home, 20).orElseThrow();
        assertThat(first).extracting(RunListing.Row::workflowId).containsExactly("alpha");
        assertThat(OwnerOnly.mode(kept)).isEqualTo("rw-------");

        // what is kept is what is answered: a listing planted for this very file is what the next call prints
        plant(dir, "planted");
        assertThat(RunListing.embedded(home, 20).orElseThrow())
                .extracting(RunListing.Row::workflowId)
                .containsExactly("planted");
        assertThat(RunListing.embedded(home, 5).orElseThrow())
                .as("another limit is another listing")
                .extracting(RunListing.Row::workflowId)
                .containsExactly("alpha");

        // the same bytes, size and times in another file (a restored copy): read again
        plant(dir, "planted");
        Path copy = dir.resolve("copy.mv.db");
        Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
        Files.move(copy, file, StandardCopyOption.REPLACE_EXISTING);
        assertThat(RunListing.embedded(home, 20).orElseThrow())
                .extracting(RunListing.Row::workflowId)
                .containsExactly("alpha");

        // any write to the database retires it
        plant(dir, "planted");
        addRun("beta");
        assertThat(RunListing.embedded(home, 20).orElseThrow())
                .extracting(RunListing.Row::workflowId)
                .containsExactly("beta", "alpha");
    }

    @Test
    void keepsNoListingOfADatabaseWrittenWithinTheQuietPeriod() throws Exception {
        addRun("alpha");
        Path dir = home.resolve("db");
        // as the file system's clock tells it: written "now" as far as the kept file's own time can tell
        Files.setLastModifiedTime(
                dir.resolve("caravan.mv.db"), FileTime.from(Instant.now().plus(ListingCache.QUIET)));

        assertThat(RunListing.embedded(home, 20)).isPresent();
        assertThat(dir.resolve(ListingCache.FILE_NAME))
                .as("a write in the same clock tick could leave size and time unchanged")
                .doesNotExist();
    }

    @Test
    void aListingReadWhileTheFileChangedIsNotKept() throws Exception {
        addRun("alpha");
        Path dir = home.resolve("db");
        Path file = dir.resolve("caravan.mv.db");
        age(file);
        ListingCache.Stamp before = ListingCache.Stamp.of(file).orElseThrow();
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(30)));
        ListingCache.Stamp after = ListingCache.Stamp.of(file).orElseThrow();

        new ListingCache(dir).keep(before, after, 20, List.of());
        assertThat(dir.resolve(ListingCache.FILE_NAME)).doesNotExist();
    }

    @Test
    void aDamagedListingIsReadPastNotTrusted() throws Exception {
        addRun("alpha");
        Path dir = home.resolve("db");
        Path kept = dir.resolve(ListingCache.FILE_NAME);
        ListingCache.Stamp stamp =
                ListingCache.Stamp.of(dir.resolve("caravan.mv.db")).orElseThrow();
        ListingCache cache = new ListingCache(dir);
        cache.keep(stamp, stamp, 20, List.of());
        byte[] valid = Files.readAllBytes(kept);
        assertThat(cache.read(stamp, 20)).contains(List.of());

        // cut short; a row count (the last four bytes here) far beyond the file's bytes; a pipe in its place
        Files.write(kept, Arrays.copyOf(valid, valid.length - 1));
        assertThat(cache.read(stamp, 20)).isEmpty();
        byte[] huge = valid.clone();
        huge[huge.length - 4] = 0x7f;
        Files.write(kept, huge);
        assertThat(cache.read(stamp, 20)).isEmpty();
        Files.delete(kept);
        assertThat(new ProcessBuilder("mkfifo", kept.toString()).start().waitFor())
                .isZero();
        assertThat(cache.read(stamp, 20)).isEmpty();
        assertThat(RunListing.embedded(home, 20).orElseThrow())
                .extracting(RunListing.Row::workflowId)
                .containsExactly("alpha");
    }

    /** A listing of one made-up run, kept for the database file as it is now. */
    private static void plant(Path dir, String workflow) {
        ListingCache.Stamp stamp =
                ListingCache.Stamp.of(dir.resolve("caravan.mv.db")).orElseThrow();
        RunListing.Row row = new RunListing.Row(
                "r-" + workflow,
                workflow,
                "SUCCEEDED",
                "manual",
                Instant.parse("2026-01-01T00:00:00Z"),
                null,
                null,
                null);
        new ListingCache(dir).keep(stamp, stamp, 20, List.of(row));
    }

    /** A run added through the full open; the file then set a minute back, as a database left alone would be. */
    private void addRun(String workflow) throws IOException {
        try (Database db = Database.open(DatabaseConfig.embedded(home))) {
            new RunStore(db)
                    .createRun(workflow, "manual", "{}", null, "workflow: " + workflow, List.of("t"), Instant.now());
        }
        age(home.resolve("db").resolve("caravan.mv.db"));
    }

    private static void age(Path file) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(60)));
    }
}
