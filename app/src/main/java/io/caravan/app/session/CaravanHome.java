package io.caravan.app.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import io.caravan.core.storage.OwnerOnly;

/**
 * {@code CARAVAN_HOME} (default {@code ~/.caravan}): the H2 database, logs, plugins, the API token and config.
 * Created 0700. Like OpenSSH's StrictModes, an existing home that group or others may write is refused (whoever
 * can write there can swap plugins or workflows the engine runs with the user's keys); one they may only read
 * is taken back to 0700 with one warning.
 */
public final class CaravanHome {
    private CaravanHome() {}

    /** A home that is not safe to use; the message names the path and the fix. */
    public static final class UnsafeHomeException extends RuntimeException {
        UnsafeHomeException(String message) {
            super(message);
        }
    }

    /** The system property {@code caravan.home} wins over the environment (tests set it). */
    public static Path resolve() {
        String env = System.getProperty("caravan.home", System.getenv("CARAVAN_HOME"));
        Path home = (env != null && !env.isBlank()
                        ? Path.of(env)
                        : Path.of(System.getProperty("user.home"), ".caravan"))
                .toAbsolutePath();
        if (Files.exists(home) && !Files.isDirectory(home)) {
            throw new UncheckedIOException(
                    "cannot create CARAVAN_HOME " + home + ": a file is in the way",
                    new IOException("a file is in the way"));
        }
        try {
            if (!Files.isDirectory(home)) {
                return OwnerOnly.createDirectories(home);
            }
            check(home);
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create CARAVAN_HOME " + home + ": " + e.getMessage(), e);
        }
    }

    private static void check(Path home) throws IOException {
        if (OwnerOnly.othersMayWrite(home)) {
            throw new UnsafeHomeException(
                    "CARAVAN_HOME " + home + " is writable by group or others (" + OwnerOnly.mode(home)
                            + "): anyone who can write there can change what Caravan runs with your keys; fix it with: chmod 700 "
                            + home);
        }
        if (OwnerOnly.othersMayRead(home)) {
            String was = OwnerOnly.mode(home);
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
            System.err.println("caravan: warning: CARAVAN_HOME " + home + " was readable by group or others (" + was
                    + "); changed it to rwx------ (0700)");
        }
    }
}
