package io.caravan.core.storage;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded default: an H2 file database. */
class H2RunStoreTest extends RunStoreContract {
    @TempDir
    Path home;

    @Override
    protected Database openDatabase() {
        return Database.open(DatabaseConfig.embedded(home));
    }
}
