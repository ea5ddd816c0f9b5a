package io.caravan.app.session;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that works on the database only: opens it ({@code --db} or CARAVAN_HOME's), runs, closes it. */
public abstract class DatabaseCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions database;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (StoreSession session = new StoreSession(CaravanHome.resolve(), database)) {
            return run(session, out, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    protected abstract int run(StoreSession session, PrintWriter out, PrintWriter err) throws Exception;
}
