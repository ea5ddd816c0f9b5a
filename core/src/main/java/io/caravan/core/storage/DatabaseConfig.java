package io.caravan.core.storage;

import java.nio.file.Path;
import java.util.Optional;

import io.caravan.core.ssh.Secret;

/**
 * Where the database is. The embedded default is an H2 file under CARAVAN_HOME that only the process holding it
 * opens (see {@link DatabaseHolder}): no AUTO_SERVER, so nothing listens on any interface.
 */
public record DatabaseConfig(String url, String user, Secret password, int poolSize) {
    private static final String H2_FILE = "jdbc:h2:file:";

    /**
     * WRITE_DELAY=0: H2 otherwise writes committed transactions to the file up to 500 ms later, and a
     * killed engine would forget work it had already recorded as done. DB_CLOSE_ON_EXIT=FALSE: H2's own shutdown
     * hook would close the database before the engine's hook records that this node stopped; {@link Database#close}
     * closes it, last.
     */
    public static DatabaseConfig embedded(Path home) {
        return new DatabaseConfig(
                H2_FILE + home.toAbsolutePath().resolve("db").resolve("caravan")
                        + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE",
                "sa",
                Secret.of(""),
                8);
    }

    /** The directory of an embedded H2 file database, which one process at a time holds. */
    public Optional<Path> embeddedDirectory() {
        if (!url.startsWith(H2_FILE)) {
            return Optional.empty();
        }
        String file = url.substring(H2_FILE.length()).split(";", 2)[0];
        return Optional.ofNullable(Path.of(file).toAbsolutePath().getParent());
    }

    public static DatabaseConfig of(String url) {
        return new DatabaseConfig(url, null, null, 8);
    }

    public boolean postgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    @Override
    public String toString() {
        return url;
    }
}
