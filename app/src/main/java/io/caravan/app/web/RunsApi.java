package io.caravan.app.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import io.caravan.core.runs.TaskState;
import io.caravan.core.storage.Run;
import io.caravan.core.storage.RunControl;
import io.caravan.core.storage.RunQueries;
import io.caravan.core.storage.RunStore;
import io.caravan.core.storage.RunTask;
import io.caravan.routes.notify.FailedDelivery;

/** Runs: a page of them, one with its tasks drawn as a grid of item states, and cancelling one. */
final class RunsApi {
    private final RunStore store;
    private final RunQueries queries;
    private final RunControl control;
    private final RunWorkflows workflows;
    /** Notifications of a run that could not be delivered (this process's, kept in memory). */
    private final Function<String, List<FailedDelivery>> undelivered;

    RunsApi(
            RunStore store,
            RunQueries queries,
            RunControl control,
            RunWorkflows workflows,
            Function<String, List<FailedDelivery>> undelivered) {
        this.undelivered = undelivered;
        this.store = store;
        this.queries = queries;
        this.control = control;
        this.workflows = workflows;
    }

    Object list(ApiRequest r) {
        int limit = r.integer("limit", 50, 500);
        int offset = r.integer("offset", 0, Integer.MAX_VALUE);
        String workflow = r.text("workflow");
        Instant now = Instant.now();
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("total", queries.countRuns(workflow));
        page.put("limit", limit);
        page.put("offset", offset);
        page.put(
                "runs",
                queries.runs(workflow, limit, offset).stream()
                        .map(run -> Views.run(run, now))
                        .toList());
        return page;
    }

    Object get(ApiRequest r) {
        Run run = find(r.required("run"));
        Map<String, List<TaskState>> items = queries.itemStates(run.id());
        List<Object> tasks = new ArrayList<>();
        List<String> order = workflows.taskOrder(run);
        List<RunTask> rows = new ArrayList<>(store.runTasks(run.id()));
        rows.sort(Comparator.comparingInt(t -> order.indexOf(t.taskId())));
        for (RunTask t : rows) {
            List<TaskState> states = items.getOrDefault(t.taskId(), List.of());
            StringBuilder letters = new StringBuilder(states.size());
            Map<String, Long> counts = new TreeMap<>();
            for (TaskState s : states) {
                letters.append(Views.letter(s));
                counts.merge(Views.state(s), 1L, Long::sum);
            }
            Map<String, Object> task = new LinkedHashMap<>();
            task.put("id", t.taskId());
            task.put("state", Views.state(t.state()));
            task.put("item_count", t.itemCount());
            task.put("counts", counts);
            task.put("items", letters.toString());
            tasks.add(task);
        }
        Map<String, Object> view = Views.run(run, Instant.now());
        view.put("tasks", tasks);
        view.put(
                "notification_failures",
                undelivered.apply(run.id()).stream()
                        .map(f -> Map.of(
                                "event",
                                f.event(),
                                "endpoint",
                                f.endpoint(),
                                "reason",
                                f.reason(),
                                "at",
                                f.at().toString()))
                        .toList());
        return view;
    }

    Object cancel(ApiRequest r) {
        Run run = find(r.required("run"));
        if (!control.cancelRun(run.id(), Instant.now())) {
            throw ApiError.conflict("run " + run.id() + " has ended already (" + Views.state(run.state()) + ")");
        }
        return Map.of("run_id", run.id(), "state", "cancelled");
    }

    Run find(String runId) {
        return store.run(runId).orElseThrow(() -> ApiError.notFound("no run '" + runId + "'"));
    }
}
