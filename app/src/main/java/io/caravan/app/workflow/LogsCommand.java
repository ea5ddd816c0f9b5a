package io.caravan.app.workflow;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import io.caravan.app.session.DatabaseCommand;
import io.caravan.app.session.StoreSession;
import io.caravan.core.engine.AttemptLogs;
import io.caravan.core.storage.RunStore;
import io.caravan.core.storage.TaskInstance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The log of a task's latest attempt, a running one's too (as far as it is written). */
@Command(name = "logs", mixinStandardHelpOptions = true, description = "Print the log of a task's latest attempt.")
public final class LogsCommand extends DatabaseCommand {
    @Parameters(index = "0", paramLabel = "RUN", description = "Run id (see ./caravan runs).")
    String runId;

    @Parameters(index = "1", paramLabel = "TASK", description = "Task id (see ./caravan tasks RUN).")
    String taskId;

    @Option(names = "--item", defaultValue = "0", description = "Item of a fan-out (default ${DEFAULT-VALUE}).")
    int item;

    @Override
    protected int run(StoreSession session, PrintWriter out, PrintWriter err) throws IOException {
        RunStore store = session.store();
        TaskInstance instance = store.instance(runId, taskId, item).orElse(null);
        if (instance == null) {
            err.println(notFound(store));
            return 2;
        }
        String what = taskId + "[" + item + "] attempt " + instance.attempt() + ", "
                + instance.state().name().toLowerCase(Locale.ROOT);
        Path log = AttemptLogs.find(session.logs(), runId, taskId, item, instance.attempt(), instance.logPath());
        if (Files.exists(log)) {
            String text = Files.readString(log);
            out.print(text);
            if (!text.isEmpty() && !text.endsWith("\n")) {
                out.println();
            }
        } else {
            err.println(what + ": no log" + (instance.state().finished() ? "" : " yet") + " (expected at " + log
                    + ", written by the engine that ran it)");
        }
        if (instance.error() != null) {
            err.println(what + ": " + instance.error());
        }
        return 0;
    }

    /** Which of run, task and item is missing; a task that never ran (upstream failed, skipped) has no item. */
    private String notFound(RunStore store) {
        if (store.run(runId).isEmpty()) {
            return "no run " + runId + " (see ./caravan runs)";
        }
        String see = " (see ./caravan tasks " + runId + ")";
        return store.runTasks(runId).stream()
                .filter(t -> t.taskId().equals(taskId))
                .findFirst()
                .map(t -> "task " + taskId + " has no item " + item + " in run " + runId + " (it is "
                        + t.state().name().toLowerCase(Locale.ROOT) + ")" + see)
                .orElse("no task " + taskId + " in run " + runId + see);
    }
}
