package io.caravan.app.workflow;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.caravan.app.plugins.TaskTypes;
import io.caravan.app.session.ConsoleCommand;
import io.caravan.app.session.StoreSession;
import io.caravan.core.engine.Json;
import io.caravan.core.storage.PoolStore;
import io.caravan.core.storage.Run;
import io.caravan.core.workflow.InvalidWorkflowException;
import io.caravan.core.workflow.WorkflowDefinition;
import io.caravan.core.workflow.WorkflowLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Queues a run of a server's workflow; the server (same database) starts it within a second. While a server holds
 * the embedded database, which no second process may open, the run is started through that server's API instead.
 */
@Command(
        name = "trigger",
        mixinStandardHelpOptions = true,
        description = "Queue a run of a workflow for the server to start.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:queued", "2:unknown workflow or invalid input"})
public final class TriggerCommand extends ConsoleCommand {
    @Parameters(paramLabel = "WORKFLOW", description = "Workflow id, as in the server's workflows directory.")
    String workflowId;

    @Option(
            names = "--workflows",
            paramLabel = "DIR",
            description = "Where the server's workflows are (default: CARAVAN_HOME/workflows).")
    Path workflows;

    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "Override a param (repeatable).")
    Map<String, String> sets = new LinkedHashMap<>();

    @Override
    protected int run(Path home, PrintWriter out, PrintWriter err) throws Exception {
        Path dir = workflows != null ? workflows : home.resolve("workflows");
        Optional<HoldingServer> server = HoldingServer.of(home, database);
        if (server.isPresent()) {
            return server.get().trigger(workflowId, sets).print(out, err);
        }
        WorkflowDirectory directory = new WorkflowDirectory(dir);
        try (StoreSession session = new StoreSession(home, database)) {
            // the task types the server reads its workflows with, plugins included
            WorkflowLoader loader = TaskTypes.load(home)
                    .loader(new PoolStore(session.database()).pools().keySet());
            Optional<WorkflowDirectory.Found> found = directory.find(loader, workflowId);
            if (found.isPresent()) {
                WorkflowDefinition w;
                try {
                    w = loader.parse(found.get().file(), found.get().yaml(), sets);
                } catch (InvalidWorkflowException e) {
                    e.errors().forEach(err::println);
                    err.flush();
                    return ValidateCommand.INVALID;
                }
                Run run = session.store()
                        .createRun(
                                w.id(),
                                "cli",
                                Json.write(w.params()),
                                found.get().file().toString(),
                                found.get().yaml(),
                                w.tasks().keySet().stream().toList(),
                                Instant.now());
                out.println("queued run " + run.id() + " of " + workflowId + "; a running `caravan server` starts it");
                out.flush();
                return 0;
            }
        }
        err.println(directory.notFound(workflowId));
        err.flush();
        return ValidateCommand.INVALID;
    }
}
