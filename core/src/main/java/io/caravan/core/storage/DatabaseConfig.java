package io.caravan.core.storage;

import java.nio.file.Path;

import io.caravan.core.ssh.Secret;

/**
 * Where the database is. The embedded default is an H2 file under CARAVAN_HOME that a second caravan
 * process (say {@code caravan runs} beside a server) can open too.
 */
public record DatabaseConfig(String url, String user, Secret password, int poolSize) {

    /**
     * WRITE_DELAY=0: H2 otherwise writes committed transactions to the file up to 500 ms later, and a
     * killed engine would forget work it had already recorded as done.
     */
    public static DatabaseConfig embedded(Path home) {
        return new DatabaseConfig("jdbc:h2:file:" + home.toAbsolutePath().resolve("db").resolve("caravan")
                + ";AUTO_SERVER=TRUE;WRITE_DELAY=0", "sa", Secret.of(""), 8);
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
