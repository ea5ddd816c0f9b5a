package io.caravan.core.storage;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The one process that has an embedded H2 database open. H2 runs without AUTO_SERVER (whose TCP listener any
 * local user could reach), so no second process can share the files; the holder file next to them, under an OS
 * lock the kernel drops when the holder dies, says who has them, so that a second process fails at once with a
 * message naming the holder instead of waiting on H2's own file lock. Within one JVM the hold is shared
 * (counted): POSIX locks belong to the process, and H2 shares an open database between its connections.
 */
public final class DatabaseHolder implements AutoCloseable {
    public static final String FILE_NAME = "holder";
    /** What the holder is, as the CLI names it ({@code caravan server}); set by the CLI's entry point. */
    public static final String COMMAND_PROPERTY = "caravan.command";

    private static final Map<Path, DatabaseHolder> HELD = new HashMap<>();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final Holder self;
    private int users;

    /** Who holds it, as its holder file says. */
    public record Holder(long pid, String command, Instant started, String api) {
        String text() {
            return "pid=" + pid + "\ncommand=" + command + "\nstarted=" + started + "\n"
                    + (api == null ? "" : "api=" + api + "\n");
        }

        static Holder parse(String text) {
            Properties p = new Properties();
            try {
                p.load(new StringReader(text));
                return new Holder(
                        Long.parseLong(p.getProperty("pid", "-1").strip()),
                        p.getProperty("command", "a caravan process"),
                        Instant.parse(p.getProperty("started", Instant.EPOCH.toString())
                                .strip()),
                        p.getProperty("api"));
            } catch (IOException | RuntimeException e) {
                return new Holder(-1, "a caravan process", Instant.EPOCH, null);
            }
        }

        /** Its API's base URL, when it serves one. */
        public Optional<String> apiUrl() {
            return Optional.ofNullable(api).filter(a -> !a.isBlank());
        }
    }

    /** Another process has the database open. */
    public static final class HeldException extends RuntimeException {
        private final transient Holder holder;
        private final Path home;

        HeldException(Path home, Holder holder) {
            super("the database in " + home + " is held by `" + holder.command() + "` (pid " + holder.pid() + "); "
                    + (holder.apiUrl().isPresent()
                            ? "stop it or use its API (" + holder.api() + "): caravan trigger goes through it"
                            : "wait for it to end or stop it"));
            this.home = home;
            this.holder = holder;
        }

        public Holder holder() {
            return holder;
        }

        public Path home() {
            return home;
        }
    }

    private DatabaseHolder(Path file, FileChannel channel, FileLock lock, Holder self) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.self = self;
    }

    /**
     * Holds the database in {@code dir} for this process.
     *
     * @throws HeldException when another process holds it
     */
    public static synchronized DatabaseHolder acquire(Path dir) {
        Path key = dir.toAbsolutePath().normalize();
        DatabaseHolder held = HELD.get(key);
        if (held != null) {
            held.users++;
            return held;
        }
        try {
            OwnerOnly.createDirectories(key);
            Path file = key.resolve(FILE_NAME);
            OwnerOnly.createFile(file);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            if (lock == null) {
                channel.close();
                throw new HeldException(key.getParent(), Holder.parse(Files.readString(file, StandardCharsets.UTF_8)));
            }
            Holder self = new Holder(
                    ProcessHandle.current().pid(),
                    System.getProperty(COMMAND_PROPERTY, "caravan"),
                    Instant.now(),
                    null);
            DatabaseHolder holder = new DatabaseHolder(file, channel, lock, self);
            holder.write(self);
            holder.users = 1;
            HELD.put(key, holder);
            return holder;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hold the database in " + key + ": " + e.getMessage(), e);
        }
    }

    /** Whether this process holds the database in {@code dir} (something in it has the database open). */
    public static synchronized boolean heldHere(Path dir) {
        return HELD.containsKey(dir.toAbsolutePath().normalize());
    }

    /** Who holds the database in {@code dir} now: empty when nobody does (or it is this process). */
    public static synchronized Optional<Holder> holderOf(Path dir) {
        Path key = dir.toAbsolutePath().normalize();
        Path file = key.resolve(FILE_NAME);
        if (HELD.containsKey(key) || !Files.exists(file)) {
            return Optional.empty();
        }
        // a probe lock on a channel of our own: closing it would drop a lock this process held on the file
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock probe = channel.tryLock();
            if (probe != null) {
                probe.release();
                return Optional.empty();
            }
            return Optional.of(Holder.parse(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The database's directory. */
    public Path directory() {
        return file.getParent();
    }

    /** Tells other processes where this one's API is, so that they can go through it. */
    public synchronized void advertise(String apiUrl) {
        write(new Holder(self.pid(), self.command(), self.started(), apiUrl));
    }

    private void write(Holder holder) {
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(holder.text().getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    @Override
    public void close() {
        synchronized (DatabaseHolder.class) {
            if (--users > 0) {
                return;
            }
            HELD.remove(file.getParent());
            try {
                channel.truncate(0);
                lock.release();
                channel.close();
            } catch (IOException e) {
                // the lock goes with the channel, or with the process at the latest
            }
        }
    }
}
