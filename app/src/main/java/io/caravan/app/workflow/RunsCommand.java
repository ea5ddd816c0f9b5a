package io.caravan.app.workflow;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import io.caravan.app.console.Elapsed;
import io.caravan.core.storage.Run;
import io.caravan.core.storage.RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The latest runs, newest first. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "List runs, newest first.")
public final class RunsCommand extends StoreCommand {
    /** When a run was created, in UTC to the second. */
    private static final DateTimeFormatter CREATED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    @Option(names = "--limit", defaultValue = "20", description = "How many (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    int run(RunStore store, PrintWriter out, PrintWriter err) {
        out.printf("%-36s  %-20s  %-9s  %-7s  %-19s  %s%n", "RUN", "WORKFLOW", "STATE", "TRIGGER", "CREATED", "DURATION");
        for (Run r : store.runs(limit)) {
            String duration = r.startedAt() == null ? "" : Elapsed.format(Duration.between(r.startedAt(),
                    r.endedAt() != null ? r.endedAt() : Instant.now()));
            out.printf("%-36s  %-20s  %-9s  %-7s  %-19s  %s%s%n", r.id(), r.workflowId(),
                    r.state().name().toLowerCase(Locale.ROOT), r.trigger(), CREATED.format(r.createdAt()), duration,
                    r.reason() == null ? "" : "  " + r.reason());
        }
        return 0;
    }
}
