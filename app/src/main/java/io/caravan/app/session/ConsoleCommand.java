package io.caravan.app.session;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command on CARAVAN_HOME and its database ({@code --db} or the home's): hands over the home and the output
 * streams, and flushes them however the command ends.
 */
public abstract class ConsoleCommand implements Callable<Integer> {
    @Mixin
    protected DatabaseOptions database;

    @Spec
    protected CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return run(CaravanHome.resolve(), out, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** @return the exit code */
    protected abstract int run(Path home, PrintWriter out, PrintWriter err) throws Exception;
}
