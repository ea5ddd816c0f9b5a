package io.caravan.app.workflow;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

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
        if (instance.logPath() == null || !Files.exists(Path.of(instance.logPath()))) {
            err.println(taskId + "[" + item + "] has no log yet (state " + instance.state().name().toLowerCase() + ")");
            return 1;
        }
        out.print(Files.readString(Path.of(instance.logPath())));
        return 0;
    }
}
