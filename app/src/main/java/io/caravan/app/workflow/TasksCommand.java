package io.caravan.app.workflow;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import io.caravan.app.session.CaravanHome;
import io.caravan.app.session.DatabaseOptions;
import io.caravan.app.session.StoreSession;
import io.caravan.core.runs.TaskState;
import io.caravan.core.storage.RunTaskRecord;
import io.caravan.core.storage.TaskInstanceRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** A run's tasks: state, items by state, and the last error of each failed item. */
@Command(name = "tasks", mixinStandardHelpOptions = true, description = "Show the tasks of a run.")
public final class TasksCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN", description = "Run id (see ./caravan runs).")
    String runId;

    @Mixin
    DatabaseOptions database;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (StoreSession session = new StoreSession(CaravanHome.resolve(), database)) {
            if (session.store().run(runId).isEmpty()) {
                spec.commandLine().getErr().println("no run " + runId + " (see ./caravan runs)");
                return 2;
            }
            Map<String, Map<TaskState, Long>> items = session.store().countsByTask(runId);
            out.printf("%-24s  %-16s  %s%n", "TASK", "STATE", "ITEMS");
            for (RunTaskRecord t : session.store().runTasks(runId)) {
                Map<TaskState, Long> counts = items.getOrDefault(t.taskId(), Map.of());
                out.printf("%-24s  %-16s  %s%n", t.taskId(), t.state().name().toLowerCase(), counts.entrySet().stream()
                        .map(e -> e.getValue() + " " + e.getKey().name().toLowerCase()).collect(Collectors.joining(", ")));
            }
            for (TaskInstanceRecord f : session.store().failures(runId, 20)) {
                out.println("  " + f.taskId() + "[" + f.itemIndex() + "] attempt " + f.attempt() + ": " + f.error());
            }
        }
        out.flush();
        return 0;
    }
}
