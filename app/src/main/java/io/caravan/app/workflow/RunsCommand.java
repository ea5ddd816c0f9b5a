package io.caravan.app.workflow;

import java.io.PrintWriter;

import io.caravan.core.storage.RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The latest runs, newest first. (A bare {@code caravan runs} on the embedded database is {@link RunListing}'s, see QuickStart.) */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "List runs, newest first.")
public final class RunsCommand extends StoreCommand {
    /** How many runs a bare {@code caravan runs} lists. */
    public static final int DEFAULT_LIMIT = 20;

    @Option(names = "--limit", defaultValue = "" + DEFAULT_LIMIT, description = "How many (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    int run(RunStore store, PrintWriter out, PrintWriter err) {
        RunListing.print(store.runs(limit).stream().map(RunListing.Row::of).toList(), out);
        return 0;
    }
}
