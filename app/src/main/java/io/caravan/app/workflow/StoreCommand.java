package io.caravan.app.workflow;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import io.caravan.app.session.CaravanHome;
import io.caravan.app.session.DatabaseOptions;
import io.caravan.app.session.StoreSession;
import io.caravan.core.storage.RunStore;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that only reads the database: opens it, hands over the store and the output streams, closes it. */
abstract class StoreCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions database;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (StoreSession session = new StoreSession(CaravanHome.resolve(), database)) {
            return run(session.store(), out, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    abstract int run(RunStore store, PrintWriter out, PrintWriter err) throws Exception;
}
