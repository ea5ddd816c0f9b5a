package io.caravan.app.session;

import java.nio.file.Path;
import java.util.List;

import io.caravan.core.storage.DatabaseConfig;
import picocli.CommandLine.Option;

/** {@code --db URL}: the embedded H2 file under CARAVAN_HOME unless a JDBC URL (PostgreSQL) is given. */
public final class DatabaseOptions {
    @Option(
            names = "--db",
            paramLabel = "JDBC_URL",
            description =
                    "Database, e.g. jdbc:postgresql://127.0.0.1:5432/caravan?user=caravan (default: H2 file in CARAVAN_HOME; env CARAVAN_DB).")
    String url;

    /** The options as given, for a command that hands on to another ({@code clear} to {@code run --resume}). */
    public List<String> arguments() {
        return url == null ? List.of() : List.of("--db", url);
    }

    public DatabaseConfig config(Path home) {
        String given = url != null ? url : System.getenv("CARAVAN_DB");
        return given == null || given.isBlank() ? DatabaseConfig.embedded(home) : DatabaseConfig.of(given);
    }
}
