package io.caravan.app.workflow;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.caravan.app.session.CaravanHome;
import io.caravan.app.session.DatabaseOptions;
import io.caravan.app.session.StoreSession;
import io.caravan.core.storage.TaskInstanceRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The log of a task's latest attempt. */
@Command(name = "logs", mixinStandardHelpOptions = true, description = "Print the log of a task's latest attempt.")
public final class LogsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN")
    String runId;
    @Parameters(index = "1", paramLabel = "TASK")
    String taskId;
    @Option(names = "--item", defaultValue = "0", description = "Item of a fan-out (default ${DEFAULT-VALUE}).")
    int item;

    @Mixin
    DatabaseOptions database;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (StoreSession session = new StoreSession(CaravanHome.resolve(), database)) {
            TaskInstanceRecord instance = session.store().instances(runId).stream()
                    .filter(i -> i.taskId().equals(taskId) && i.itemIndex() == item).findFirst().orElse(null);
            if (instance == null) {
                err.println("no task " + taskId + " item " + item + " in run " + runId + " (see ./caravan tasks " + runId + ")");
                return 2;
            }
            if (instance.logPath() == null || !Files.exists(Path.of(instance.logPath()))) {
                err.println(taskId + "[" + item + "] has no log yet (state " + instance.state().name().toLowerCase() + ")");
                return 1;
            }
            out.print(Files.readString(Path.of(instance.logPath())));
        }
        out.flush();
        return 0;
    }
}
