package io.caravan.app.session;

import java.nio.file.Path;

import io.caravan.core.engine.AttemptLogs;
import io.caravan.core.storage.Database;
import io.caravan.core.storage.RunStore;

/** Only the database, for commands that inspect runs. */
public final class StoreSession implements AutoCloseable {
    private final Path home;
    private final Database db;
    private final RunStore store;

    public StoreSession(Path home, DatabaseOptions database) {
        this.home = home;
        this.db = Database.open(database.config(home));
        this.store = new RunStore(db);
    }

    /** Where an engine of this home writes its attempts' logs. */
    public Path logs() {
        return AttemptLogs.directory(home);
    }

    public Database database() {
        return db;
    }

    public RunStore store() {
        return store;
    }

    @Override
    public void close() {
        db.close();
    }
}
