package io.caravan.app.workflow;

import java.io.PrintWriter;

import io.caravan.app.session.DatabaseCommand;
import io.caravan.app.session.StoreSession;
import io.caravan.core.storage.RunStore;

/** A command that only reads runs: hands over the run store and the output streams. */
abstract class StoreCommand extends DatabaseCommand {

    @Override
    protected final int run(StoreSession session, PrintWriter out, PrintWriter err) throws Exception {
        return run(session.store(), out, err);
    }

    abstract int run(RunStore store, PrintWriter out, PrintWriter err) throws Exception;
}
