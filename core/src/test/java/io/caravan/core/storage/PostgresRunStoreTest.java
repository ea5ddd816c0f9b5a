package io.caravan.core.storage;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

/**
 * The store contract on the real PostgreSQL at 127.0.0.1:5432 (database {@code test}), each test in
 * a schema of its own that is dropped afterwards.
 */
class PostgresRunStoreTest extends RunStoreContract {
    static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String USER = "postgres";
    private final String schema = "caravan_test_" + UUID.randomUUID().toString().replace("-", "");

    @Override
    protected Database openDatabase() throws Exception {
        sql("CREATE SCHEMA " + schema);
        return Database.open(DatabaseConfig.of(SERVER + "?user=" + USER + "&currentSchema=" + schema));
    }

    @Override
    protected void dropDatabase() throws Exception {
        sql("DROP SCHEMA " + schema + " CASCADE");
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(SERVER + "?user=" + USER);
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
