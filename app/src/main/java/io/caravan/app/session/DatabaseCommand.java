package io.caravan.app.session;

import java.io.PrintWriter;
import java.nio.file.Path;

/** A command that works on the database only: opens it ({@code --db} or CARAVAN_HOME's), runs, closes it. */
public abstract class DatabaseCommand extends ConsoleCommand {

    @Override
    protected final int run(Path home, PrintWriter out, PrintWriter err) throws Exception {
        try (StoreSession session = new StoreSession(home, database)) {
            return run(session, out, err);
        }
    }

    protected abstract int run(StoreSession session, PrintWriter out, PrintWriter err) throws Exception;
}
