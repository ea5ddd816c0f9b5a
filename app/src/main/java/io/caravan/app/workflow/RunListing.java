package io.caravan.app.workflow;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.caravan.app.console.Elapsed;
import io.caravan.core.storage.DatabaseConfig;
import io.caravan.core.storage.DatabaseHolder;
import io.caravan.core.storage.OwnerOnly;
import io.caravan.core.storage.Run;
import org.h2.Driver;

/**
 * The run list ({@code caravan runs}) and, for the embedded database, a way to read it without starting Flyway and
 * Hibernate, which take most of a short command's second: one JDBC query, when every migration this build ships is
 * applied already, and none at all while the database file is the one the last listing was read from
 * ({@link ListingCache}). Whatever else (no database yet, a schema to migrate, a database another process holds)
 * returns empty, and the command opens the full {@code Database} as before, which migrates or explains.
 */
public final class RunListing {
    /** When a run was created, in UTC to the second. */
    private static final DateTimeFormatter CREATED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private static final Pattern MIGRATION = Pattern.compile("V(\\d+)__[^/]*\\.sql");
    /** Where {@code Database} finds its migrations for H2: the common ones and H2's own. */
    private static final List<String> H2_MIGRATIONS = List.of("db/migration", "db/vendor/h2");

    /** One line of the list. */
    public record Row(
            String id,
            String workflowId,
            String state,
            String trigger,
            Instant createdAt,
            Instant startedAt,
            Instant endedAt,
            String reason) {
        static Row of(Run r) {
            return new Row(
                    r.id(),
                    r.workflowId(),
                    r.state().name(),
                    r.trigger(),
                    r.createdAt(),
                    r.startedAt(),
                    r.endedAt(),
                    r.reason());
        }
    }

    private RunListing() {}

    public static void print(List<Row> rows, PrintWriter out) {
        out.printf(
                "%-36s  %-20s  %-9s  %-7s  %-19s  %s%n", "RUN", "WORKFLOW", "STATE", "TRIGGER", "CREATED", "DURATION");
        for (Row r : rows) {
            String duration = r.startedAt() == null
                    ? ""
                    : Elapsed.format(
                            Duration.between(r.startedAt(), r.endedAt() != null ? r.endedAt() : Instant.now()));
            out.printf(
                    "%-36s  %-20s  %-9s  %-7s  %-19s  %s%s%n",
                    r.id(),
                    r.workflowId(),
                    r.state().toLowerCase(Locale.ROOT),
                    r.trigger(),
                    CREATED.format(r.createdAt()),
                    duration,
                    r.reason() == null ? "" : "  " + r.reason());
        }
    }

    /** The newest {@code limit} runs of the embedded database in {@code home}, or empty when only the full open will do. */
    public static Optional<List<Row>> embedded(Path home, int limit) {
        DatabaseConfig config = DatabaseConfig.embedded(home);
        Path dir = config.embeddedDirectory().orElseThrow();
        Path file = dir.resolve("caravan.mv.db");
        if (!Files.isRegularFile(file)) {
            return Optional.empty(); // a first start: the full open creates and migrates it
        }
        DatabaseHolder holder;
        try {
            holder = DatabaseHolder.acquire(dir);
        } catch (RuntimeException held) {
            return Optional.empty(); // the full open says who holds it, and what to do
        }
        // opened before its attributes are read, and until they are read again: on an NFS home an open makes the
        // client check them with the server, where a bare stat may answer from a cache up to a minute old
        try (holder;
                FileChannel pinned = FileChannel.open(file, StandardOpenOption.READ)) {
            ListingCache cache = new ListingCache(dir);
            Optional<ListingCache.Stamp> stamp = ListingCache.Stamp.of(file);
            Optional<List<Row>> kept = stamp.flatMap(s -> cache.read(s, limit));
            if (kept.isPresent()) {
                return kept; // read by this build from this very file, whose schema it checked then
            }
            Optional<List<Row>> rows = query(config, dir, limit, shippedVersion());
            if (rows.isPresent() && stamp.isPresent()) {
                ListingCache.Stamp.of(file).ifPresent(after -> cache.keep(stamp.get(), after, limit, rows.get()));
            }
            return rows;
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The newest {@code limit} runs, read from the database opened read-only (nothing to write, so nothing to compact
     * on close: H2 spends up to 200 ms on that) through H2's driver directly (DriverManager would look through every
     * jar for drivers first); empty unless its schema is {@code schema}.
     */
    private static Optional<List<Row>> query(DatabaseConfig config, Path dir, int limit, int schema) {
        Properties login = new Properties();
        login.setProperty("user", config.user());
        login.setProperty("password", config.password().reveal());
        try (Connection c = new Driver().connect(config.url() + ";ACCESS_MODE_DATA=r", login)) {
            if (appliedVersion(c) != schema) {
                return Optional.empty();
            }
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT id, workflow_id, state, trigger_kind, created_at, started_at,"
                            + " ended_at, reason FROM runs WHERE deleted_at IS NULL ORDER BY created_at DESC LIMIT ?")) {
                q.setInt(1, limit);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Row(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                instant(rs, 5),
                                instant(rs, 6),
                                instant(rs, 7),
                                rs.getString(8)));
                    }
                }
            }
            return Optional.of(rows);
        } catch (SQLException | RuntimeException e) {
            return Optional.empty();
        } finally {
            tighten(dir);
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** The highest migration Flyway recorded as applied; -1 when none (or no history table). */
    private static int appliedVersion(Connection c) throws SQLException {
        int max = -1;
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"success\" AND \"version\" IS NOT NULL")) {
            while (rs.next()) {
                max = Math.max(max, Integer.parseInt(rs.getString(1)));
            }
        }
        return max;
    }

    /** The highest migration on the class path, as {@code Database} would apply it to H2. */
    static int shippedVersion() {
        int max = 0;
        for (String location : H2_MIGRATIONS) {
            for (String name : resourceNames(location)) {
                Matcher m = MIGRATION.matcher(name);
                if (m.matches()) {
                    max = Math.max(max, Integer.parseInt(m.group(1)));
                }
            }
        }
        return max;
    }

    /** The names in {@code location} of core's jar (or classes directory): looked up there, not on the whole class path. */
    private static List<String> resourceNames(String location) {
        try {
            Path core = codeSource(DatabaseConfig.class);
            if (Files.isDirectory(core)) {
                Path dir = core.resolve(location);
                if (!Files.isDirectory(dir)) {
                    return List.of();
                }
                try (Stream<Path> files = Files.list(dir)) {
                    return files.map(p -> p.getFileName().toString()).toList();
                }
            }
            String prefix = location + "/";
            try (JarFile jar = new JarFile(core.toFile())) {
                return jar.stream()
                        .map(e -> e.getName())
                        .filter(n -> n.startsWith(prefix) && n.indexOf('/', prefix.length()) < 0)
                        .map(n -> n.substring(prefix.length()))
                        .toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The jar (or classes directory) {@code type} was loaded from. */
    static Path codeSource(Class<?> type) {
        try {
            return Path.of(
                    type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whatever H2 created, the owner's alone, as {@code Database} leaves it. */
    private static void tighten(Path dir) {
        try {
            OwnerOnly.tighten(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restrict the database files to their owner", e);
        }
    }
}
