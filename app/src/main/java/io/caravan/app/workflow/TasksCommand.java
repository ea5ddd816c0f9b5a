package io.caravan.app.workflow;

import java.io.PrintWriter;
import java.util.Map;
import java.util.stream.Collectors;

import io.caravan.core.runs.TaskState;
import io.caravan.core.storage.RunStore;
import io.caravan.core.storage.RunTask;
import io.caravan.core.storage.TaskInstance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** A run's tasks: state, items by state, and the last error of each failed item. */
@Command(name = "tasks", mixinStandardHelpOptions = true, description = "Show the tasks of a run.")
public final class TasksCommand extends StoreCommand {
    @Parameters(paramLabel = "RUN", description = "Run id (see ./caravan runs).")
    String runId;

    @Override
    int run(RunStore store, PrintWriter out, PrintWriter err) {
        if (store.run(runId).isEmpty()) {
            err.println("no run " + runId + " (see ./caravan runs)");
            return 2;
        }
        Map<String, Map<TaskState, Long>> items = store.countsByTask(runId);
        out.printf("%-24s  %-16s  %s%n", "TASK", "STATE", "ITEMS");
        for (RunTask t : store.runTasks(runId)) {
            Map<TaskState, Long> counts = items.getOrDefault(t.taskId(), Map.of());
            out.printf(
                    "%-24s  %-16s  %s%n",
                    t.taskId(),
                    t.state().name().toLowerCase(),
                    counts.entrySet().stream()
                            .map(e -> e.getValue() + " " + e.getKey().name().toLowerCase())
                            .collect(Collectors.joining(", ")));
        }
        for (TaskInstance f : store.failures(runId, 20)) {
            out.println("  " + f.taskId() + "[" + f.itemIndex() + "] attempt " + f.attempt() + ": " + f.error());
        }
        return 0;
    }
}
