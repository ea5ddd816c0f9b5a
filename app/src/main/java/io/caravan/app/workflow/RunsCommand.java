package io.caravan.app.workflow;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

import io.caravan.app.session.CaravanHome;
import io.caravan.app.session.DatabaseOptions;
import io.caravan.app.session.StoreSession;
import io.caravan.core.storage.RunRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The latest runs, newest first. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "List runs, newest first.")
public final class RunsCommand implements Callable<Integer> {
    @Option(names = "--limit", defaultValue = "20", description = "How many (default ${DEFAULT-VALUE}).")
    int limit;

    @Mixin
    DatabaseOptions database;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (StoreSession session = new StoreSession(CaravanHome.resolve(), database)) {
            out.printf("%-36s  %-20s  %-9s  %-7s  %-24s  %s%n", "RUN", "WORKFLOW", "STATE", "TRIGGER", "CREATED", "DURATION");
            for (RunRecord r : session.store().runs(limit)) {
                String duration = r.startedAt() == null ? "" : Duration.between(r.startedAt(),
                        r.endedAt() != null ? r.endedAt() : java.time.Instant.now()).toMillis() + " ms";
                out.printf("%-36s  %-20s  %-9s  %-7s  %-24s  %s%n", r.id(), r.workflowId(),
                        r.state().name().toLowerCase(java.util.Locale.ROOT), r.trigger(), r.createdAt(), duration);
            }
        }
        out.flush();
        return 0;
    }
}
