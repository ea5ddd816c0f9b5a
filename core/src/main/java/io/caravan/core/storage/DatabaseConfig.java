package io.caravan.core.storage;

import java.nio.file.Path;

import io.caravan.core.ssh.Secret;

/**
 * Where the database is. The embedded default is an H2 file under CARAVAN_HOME that a second caravan
 * process (say {@code caravan runs} beside a server) can open too.
 */
public record DatabaseConfig(String url, String user, Secret password, int poolSize) {
    /** The system property H2 reads, once, for the address its AUTO_SERVER TCP port binds to. */
    static final String H2_BIND_ADDRESS = "h2.bindAddress";

    static {
        // AUTO_SERVER opens a TCP port so that a second caravan process can share the file; without this
        // H2 binds it to every interface. Loopback is all it needs (set before H2 reads its properties;
        // -Dh2.bindAddress in CARAVAN_JAVA_OPTS still wins).
        if (System.getProperty(H2_BIND_ADDRESS) == null) {
            System.setProperty(H2_BIND_ADDRESS, "127.0.0.1");
        }
    }

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
