package io.caravan.app.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/** {@code CARAVAN_HOME} (default {@code ~/.caravan}): the H2 database, logs, plugins and config. */
public final class CaravanHome {
    private CaravanHome() {
    }

    /**
     * The system property {@code caravan.home} wins over the environment (tests set it). A home Caravan
     * creates is owner-only (0700): it holds the database (run parameters, the embedded database's
     * AUTO_SERVER key), attempt logs and the API token, which other users of the machine must not read.
     */
    public static Path resolve() {
        String env = System.getProperty("caravan.home", System.getenv("CARAVAN_HOME"));
        Path home = (env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".caravan"))
                .toAbsolutePath();
        try {
            if (Files.isDirectory(home)) {
                return home;
            }
            Files.createDirectories(home.getParent());
            return Files.createDirectory(home, ownerOnly());
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (Files.isDirectory(home)) {
                return home; // another caravan process created it at the same moment
            }
            throw new UncheckedIOException("cannot create CARAVAN_HOME " + home + ": a file is in the way", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create CARAVAN_HOME " + home, e);
        }
    }

    private static FileAttribute<?>[] ownerOnly() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                : new FileAttribute<?>[0];
    }
}
