package io.caravan.app.workflow;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.caravan.core.storage.DatabaseConfig;
import io.caravan.core.storage.OwnerOnly;

/**
 * The last run list read from the embedded database, kept beside it ({@code runs.listing}, 0600) and answered again
 * while the database file is the very file it was read from: same device and inode, size, modification and
 * change time (no tool sets the last, so a restored copy does not pass), and the same build of Caravan. Opening H2
 * (replaying its schema, scanning the class path for ICU4J) is most of a bare {@code caravan runs}; between two
 * listings with no run, nothing in the file changed. As git does with its index, a listing is kept only when the
 * database file had been left alone for {@link #QUIET} before it was read, by the file system's own clock (the
 * kept file's time): a write in the same tick of that clock as the one before could leave size and time as they
 * were.
 */
final class ListingCache {
    static final String FILE_NAME = "runs.listing";
    /** Longer than the coarsest modification-time tick of the file systems a home may be on (FAT: 2 s). */
    static final Duration QUIET = Duration.ofSeconds(3);

    private static final int FORMAT = 2;
    /** Far more than 20 rows can take; a larger file is not one of ours. */
    private static final long MAX_BYTES = 4L << 20;

    private final Path file;

    ListingCache(Path databaseDirectory) {
        this.file = databaseDirectory.resolve(FILE_NAME);
    }

    /** What identifies one state of the database file; {@code modified} is its modification time. */
    record Stamp(String key, Instant modified) {
        /** Empty where the file system tells no inode or change time (nothing is kept there). */
        static Optional<Stamp> of(Path database) {
            try {
                Map<String, Object> a = Files.readAttributes(database, "unix:dev,ino,size,lastModifiedTime,ctime");
                Instant modified = ((FileTime) a.get("lastModifiedTime")).toInstant();
                return Optional.of(new Stamp(
                        a.get("dev") + ":" + a.get("ino") + " " + a.get("size") + " " + modified + " "
                                + ((FileTime) a.get("ctime")).toInstant() + " " + BUILD,
                        modified));
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                return Optional.empty();
            }
        }
    }

    /**
     * This build: the app's code (the query, the rows) and core's (the migrations). With the database file's stamp
     * it stands for the schema check a listing passed when it was read, so a kept listing needs none.
     */
    private static final String BUILD = build();

    private static String build() {
        try {
            StringBuilder build = new StringBuilder();
            for (Class<?> part : List.of(ListingCache.class, DatabaseConfig.class)) {
                BasicFileAttributes a = Files.readAttributes(RunListing.codeSource(part), BasicFileAttributes.class);
                build.append(a.size())
                        .append('@')
                        .append(a.lastModifiedTime().toInstant())
                        .append(' ');
            }
            return build.toString();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The listing kept for exactly this database file, build and limit; empty when there is none. */
    Optional<List<RunListing.Row>> read(Stamp stamp, int limit) {
        byte[] bytes;
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile() || a.size() > MAX_BYTES) {
                return Optional.empty(); // a link, a pipe or a giant: not ours
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return Optional.empty(); // none kept (or unreadable): read the database
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != FORMAT || in.readInt() != limit || !in.readUTF().equals(stamp.key())) {
                return Optional.empty();
            }
            int n = count(in);
            List<RunListing.Row> rows = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                RunListing.Row row = new RunListing.Row(
                        string(in),
                        string(in),
                        string(in),
                        string(in),
                        instant(in),
                        instant(in),
                        instant(in),
                        string(in));
                if (row.id() == null
                        || row.workflowId() == null
                        || row.state() == null
                        || row.trigger() == null
                        || row.createdAt() == null) {
                    return Optional.empty(); // the database's NOT NULL columns: this is no listing of it
                }
                rows.add(row);
            }
            return in.read() == -1 ? Optional.of(rows) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // a torn or foreign file: read the database
        }
    }

    /**
     * Keeps {@code rows}, read while the database file was {@code stamp}, unless it changed since ({@code after}) or
     * had been written less than {@link #QUIET} before. Best effort: a listing that cannot be kept is read again.
     */
    void keep(Stamp stamp, Stamp after, int limit, List<RunListing.Row> rows) {
        if (!stamp.equals(after)) {
            return;
        }
        Path temp =
                file.resolveSibling(FILE_NAME + "." + ProcessHandle.current().pid());
        try {
            Files.deleteIfExists(temp);
            OwnerOnly.write(temp, encode(stamp, limit, rows), StandardOpenOption.CREATE_NEW, LinkOption.NOFOLLOW_LINKS);
            Instant written = Files.getLastModifiedTime(temp).toInstant();
            if (stamp.modified().isAfter(written.minus(QUIET))) {
                Files.delete(temp);
                return;
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // left for the next keep of this process id, which removes it first
            }
        }
    }

    private static byte[] encode(Stamp stamp, int limit, List<RunListing.Row> rows) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(FORMAT);
            out.writeInt(limit);
            out.writeUTF(stamp.key());
            out.writeInt(rows.size());
            for (RunListing.Row r : rows) {
                string(out, r.id());
                string(out, r.workflowId());
                string(out, r.state());
                string(out, r.trigger());
                instant(out, r.createdAt());
                instant(out, r.startedAt());
                instant(out, r.endedAt());
                string(out, r.reason());
            }
        }
        return bytes.toByteArray();
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            out.writeInt(utf8.length);
            out.write(utf8);
        }
    }

    private static String string(DataInputStream in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        byte[] utf8 = new byte[count(in)];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private static void instant(DataOutputStream out, Instant t) throws IOException {
        out.writeBoolean(t != null);
        if (t != null) {
            out.writeLong(t.getEpochSecond());
            out.writeInt(t.getNano());
        }
    }

    private static Instant instant(DataInputStream in) throws IOException {
        return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
    }

    /** A count or length, which cannot exceed the bytes left: a damaged file must not size an array. */
    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("damaged");
        }
        return n;
    }
}
