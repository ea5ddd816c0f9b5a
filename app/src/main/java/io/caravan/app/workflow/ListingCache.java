package io.caravan.app.workflow;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.caravan.core.storage.OwnerOnly;

/**
 * The last run list read from the embedded database, kept beside it ({@code runs.listing}, 0600) and answered again
 * while the database file is the very file it was read from: same inode, size and modification time. Opening H2
 * (replaying its schema, scanning the class path for ICU4J) is most of a bare {@code caravan runs}; between two
 * listings with no run, nothing in the file changed. As git does with its index, a listing is kept only when the
 * file had been left alone for {@link #QUIET} before it was read: a write in the same tick of the file system's
 * clock as the one before could leave size and time as they were.
 */
final class ListingCache {
    static final String FILE_NAME = "runs.listing";
    /** Longer than the coarsest modification-time tick of the file systems a home may be on (FAT: 2 s). */
    static final Duration QUIET = Duration.ofSeconds(3);

    private static final int FORMAT = 1;

    private final Path file;

    ListingCache(Path databaseDirectory) {
        this.file = databaseDirectory.resolve(FILE_NAME);
    }

    /** What identifies one state of the database file. */
    record Stamp(Object fileKey, long size, Instant modified) {
        static Optional<Stamp> of(Path database) {
            try {
                BasicFileAttributes a = Files.readAttributes(database, BasicFileAttributes.class);
                return a.fileKey() == null
                        ? Optional.empty() // no inode to tell a replaced file by
                        : Optional.of(new Stamp(
                                a.fileKey(), a.size(), a.lastModifiedTime().toInstant()));
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        String key() {
            return fileKey + " " + size + " " + modified;
        }
    }

    /** The listing kept for exactly this database file, schema version and limit; empty when there is none. */
    Optional<List<RunListing.Row>> read(Stamp stamp, int schema, int limit) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return Optional.empty(); // none kept (or unreadable): read the database
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != FORMAT
                    || in.readInt() != schema
                    || in.readInt() != limit
                    || !in.readUTF().equals(stamp.key())) {
                return Optional.empty();
            }
            int n = count(in);
            List<RunListing.Row> rows = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                rows.add(new RunListing.Row(
                        string(in),
                        string(in),
                        string(in),
                        string(in),
                        instant(in),
                        instant(in),
                        instant(in),
                        string(in)));
            }
            return in.read() == -1 ? Optional.of(rows) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // a torn or foreign file: read the database
        }
    }

    /**
     * Keeps {@code rows}, read while the file was {@code stamp}, unless the file changed since or was written less
     * than {@link #QUIET} before {@code now}. Best effort: a listing that cannot be kept is read again next time.
     */
    void keep(Stamp stamp, Stamp after, int schema, int limit, List<RunListing.Row> rows, Instant now) {
        if (!stamp.equals(after) || stamp.modified().isAfter(now.minus(QUIET))) {
            return;
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(FORMAT);
                out.writeInt(schema);
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
            Path temp = file.resolveSibling(
                    FILE_NAME + "." + ProcessHandle.current().pid());
            OwnerOnly.write(temp, bytes.toByteArray());
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            forget();
        }
    }

    /** Removes the kept listing, if any. */
    void forget() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the stamp check still refuses it for any other state of the database
        }
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
