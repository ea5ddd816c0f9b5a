package io.caravan.app.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code CARAVAN_HOME} (default {@code ~/.caravan}): the H2 database, logs, plugins and config. */
public final class CaravanHome {
    private CaravanHome() {
    }

    /** The system property {@code caravan.home} wins over the environment (tests set it). */
    public static Path resolve() {
        String env = System.getProperty("caravan.home", System.getenv("CARAVAN_HOME"));
        Path home = env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".caravan");
        try {
            return Files.createDirectories(home.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create CARAVAN_HOME " + home, e);
        }
    }
}
