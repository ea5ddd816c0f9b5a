package io.caravan.app.workflow;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.caravan.app.plugins.TaskTypes;
import io.caravan.app.sandbox.Sandbox;
import io.caravan.app.session.ConsoleCommand;
import io.caravan.app.session.StoreSession;
import io.caravan.app.session.StoredWorkflow;
import io.caravan.core.storage.PoolStore;
import io.caravan.core.storage.Run;
import io.caravan.core.storage.RunControl;
import io.caravan.core.workflow.Downstream;
import io.caravan.core.workflow.InvalidWorkflowException;
import io.caravan.core.workflow.WorkflowDefinition;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Clears tasks of a finished run so they run again in the same run, with new attempt numbers; what they depend on
 * keeps its outputs. Beside a server holding the embedded database the server does it and runs them; otherwise this
 * command clears them and continues the run in the foreground, as {@code run --resume} does.
 */
@Command(
        name = "clear",
        mixinStandardHelpOptions = true,
        description = "Run tasks of a finished run again, in the same run (upstream outputs are reused).",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {
            "0:cleared (and, in the foreground, the run then succeeded)",
            "1:the run failed again",
            "2:unknown run or task, the run has not ended, or nothing to clear"
        })
public final class ClearCommand extends ConsoleCommand {
    @Parameters(index = "0", paramLabel = "RUN", description = "Run id (see ./caravan runs).")
    String runId;

    @Parameters(index = "1", paramLabel = "TASK", description = "Task to clear.")
    String taskId;

    @Option(names = "--downstream", description = "Clear the tasks that depend on TASK too.")
    boolean downstream;

    @Option(
            names = "--failed-only",
            description = "Clear only those of them that failed (or did not run because of a failure).")
    boolean failedOnly;

    @Override
    protected int run(Path home, PrintWriter out, PrintWriter err) throws Exception {
        Optional<HoldingServer> server = HoldingServer.of(home, database);
        if (server.isPresent()) {
            return server.get().clear(runId, taskId, downstream, failedOnly).print(out, err);
        }
        String refused = clearHere(home, out);
        if (refused != null) {
            err.println(refused);
            err.flush();
            return ValidateCommand.INVALID;
        }
        List<String> resume = new ArrayList<>(List.of("--resume", runId));
        resume.addAll(database.arguments());
        return new CommandLine(new RunCommand()).setOut(out).setErr(err).execute(resume.toArray(String[]::new));
    }

    /** Clears the tasks in the database; why not, or null once done. */
    private String clearHere(Path home, PrintWriter out) {
        try (StoreSession session = new StoreSession(home, database)) {
            Run run = session.store().run(runId).orElse(null);
            if (run == null) {
                return "no run " + runId + " (see ./caravan runs)";
            }
            String gone = Sandbox.cannotContinue(run);
            if (gone != null) {
                return gone;
            }
            WorkflowDefinition workflow;
            try {
                workflow = StoredWorkflow.of(
                        run,
                        TaskTypes.load(home)
                                .loader(new PoolStore(session.database())
                                        .pools()
                                        .keySet()));
            } catch (InvalidWorkflowException e) {
                return "run " + runId + ": its stored workflow no longer loads: " + e.getMessage();
            }
            if (!workflow.tasks().containsKey(taskId)) {
                return "no task '" + taskId + "' in run " + runId + "; tasks: "
                        + String.join(", ", workflow.tasks().keySet());
            }
            List<String> tasks = new ArrayList<>(List.of(taskId));
            if (downstream) {
                tasks.addAll(Downstream.of(workflow, taskId));
            }
            List<String> cleared;
            try {
                cleared = new RunControl(session.database()).clearTasks(runId, tasks, failedOnly, Instant.now());
            } catch (IllegalStateException e) {
                return e.getMessage();
            }
            if (cleared.isEmpty()) {
                return "nothing to clear in run " + runId + ": none of " + tasks + " failed";
            }
            out.println("cleared " + cleared + " of run " + runId + "; running them again");
            out.flush();
            return null;
        }
    }
}
