package io.caravan.app.workflow;

import java.io.PrintWriter;
import java.time.Duration;

import io.caravan.core.storage.RunRecord;
import io.caravan.core.storage.RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The latest runs, newest first. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "List runs, newest first.")
public final class RunsCommand extends StoreCommand {
    @Option(names = "--limit", defaultValue = "20", description = "How many (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    int run(RunStore store, PrintWriter out, PrintWriter err) {
        out.printf("%-36s  %-20s  %-9s  %-7s  %-24s  %s%n", "RUN", "WORKFLOW", "STATE", "TRIGGER", "CREATED", "DURATION");
        for (RunRecord r : store.runs(limit)) {
            String duration = r.startedAt() == null ? "" : Duration.between(r.startedAt(),
                    r.endedAt() != null ? r.endedAt() : java.time.Instant.now()).toMillis() + " ms";
            out.printf("%-36s  %-20s  %-9s  %-7s  %-24s  %s%n", r.id(), r.workflowId(),
                    r.state().name().toLowerCase(java.util.Locale.ROOT), r.trigger(), r.createdAt(), duration);
        }
        return 0;
    }
}
