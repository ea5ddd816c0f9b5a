package io.caravan.app.workflow;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import io.caravan.core.storage.RunStore;
import io.caravan.core.storage.TaskInstanceRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The log of a task's latest attempt. */
@Command(name = "logs", mixinStandardHelpOptions = true, description = "Print the log of a task's latest attempt.")
public final class LogsCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "RUN")
    String runId;
    @Parameters(index = "1", paramLabel = "TASK")
    String taskId;
    @Option(names = "--item", defaultValue = "0", description = "Item of a fan-out (default ${DEFAULT-VALUE}).")
    int item;

    @Override
    int run(RunStore store, PrintWriter out, PrintWriter err) throws IOException {
        TaskInstanceRecord instance = store.instance(runId, taskId, item).orElse(null);
        if (instance == null) {
            err.println("no task " + taskId + " item " + item + " in run " + runId + " (see ./caravan tasks " + runId + ")");
            return 2;
        }
        String what = taskId + "[" + item + "] attempt " + instance.attempt() + ", " + instance.state().name().toLowerCase(Locale.ROOT);
        Path log = instance.logPath() == null ? null : Path.of(instance.logPath());
        if (log != null && Files.exists(log)) {
            String text = Files.readString(log);
            out.print(text);
            if (!text.isEmpty() && !text.endsWith("\n")) {
                out.println();
            }
        } else {
            err.println(what + ": no log" + (instance.state().finished() ? "" : " yet")
                    + (log == null ? "" : " (expected at " + log + ", written by the engine that ran it)"));
        }
        if (instance.error() != null) {
            err.println(what + ": " + instance.error());
        }
        return 0;
    }
}
