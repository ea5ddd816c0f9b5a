package io.caravan.app.web;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import io.caravan.app.sandbox.Sandbox;
import io.caravan.core.engine.AttemptLogs;
import io.caravan.core.jobs.Utf8;
import io.caravan.core.runs.TaskState;
import io.caravan.core.storage.Run;
import io.caravan.core.storage.RunControl;
import io.caravan.core.storage.RunQueries;
import io.caravan.core.storage.RunStore;
import io.caravan.core.storage.TaskInstance;

/** A task's items: a page of them, one with its attempts, its log read incrementally, retrying a failed one; clearing the task. */
final class ItemsApi {
    static final int LOG_CHUNK = 64 * 1024;

    private final RunsApi runs;
    private final RunStore store;
    private final RunQueries queries;
    private final RunControl control;
    private final RunWorkflows workflows;
    private final Path logs;
    private final Consumer<Run> reopened;

    /** @param reopened drives a run a retry put back to work, unless this server drives it already */
    ItemsApi(
            RunsApi runs,
            RunStore store,
            RunQueries queries,
            RunControl control,
            RunWorkflows workflows,
            Path logs,
            Consumer<Run> reopened) {
        this.runs = runs;
        this.store = store;
        this.queries = queries;
        this.control = control;
        this.workflows = workflows;
        this.logs = logs;
        this.reopened = reopened;
    }

    Object list(ApiRequest r) {
        Run run = runs.find(r.required("run"));
        String task = r.required("task");
        TaskState state = state(r.text("state"));
        int limit = r.integer("limit", 100, 1000);
        int offset = r.integer("offset", 0, Integer.MAX_VALUE);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("total", queries.countItems(run.id(), task, state));
        page.put(
                "items",
                queries.items(run.id(), task, state, limit, offset).stream()
                        .map(Views::item)
                        .toList());
        return page;
    }

    Object get(ApiRequest r) {
        TaskInstance i = find(r);
        Map<String, Object> view = Views.item(i);
        view.put(
                "attempts",
                queries.attempts(i.id()).stream()
                        .map(a -> {
                            Map<String, Object> v = new LinkedHashMap<>();
                            v.put("attempt", a.attempt());
                            v.put("state", Views.state(a.state()));
                            v.put("started_at", Views.time(a.startedAt()));
                            v.put("ended_at", Views.time(a.endedAt()));
                            v.put("error", a.error());
                            return v;
                        })
                        .toList());
        return view;
    }

    /** Up to 64 KiB of the current attempt's log from {@code offset}, never cut inside a UTF-8 character. */
    Object log(ApiRequest r) {
        TaskInstance i = find(r);
        long offset = r.integer("offset", 0, Integer.MAX_VALUE);
        Path file = AttemptLogs.find(logs, i.runId(), i.taskId(), i.itemIndex(), i.attempt(), i.logPath());
        byte[] chunk = new byte[0];
        long size = 0;
        if (Files.exists(file)) {
            try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
                size = in.length();
                if (offset < size) {
                    in.seek(offset);
                    chunk = new byte[(int) Math.min(LOG_CHUNK, size - offset)];
                    in.readFully(chunk);
                    if (offset + chunk.length < size || !i.state().finished()) {
                        chunk = Arrays.copyOf(chunk, Utf8.completePrefix(chunk));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        long next = Math.min(size, offset) + chunk.length;
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("offset", offset);
        view.put("next_offset", next);
        view.put("size", size);
        view.put("text", new String(chunk, StandardCharsets.UTF_8));
        view.put("finished", i.state().finished() && next >= size);
        return view;
    }

    Object retry(ApiRequest r) {
        Run run = runs.find(r.required("run"));
        String task = r.required("task");
        int index = (int) r.number("index");
        refuseSandbox(run);
        TaskInstance i = control.retryItem(run.id(), task, index, workflows.downstream(run, task), Instant.now())
                .orElseThrow(() -> ApiError.conflict(task + "[" + index + "] of run " + run.id()
                        + " has not failed: only a failed item is retried"));
        reopened.accept(run); // the driver needs the run's id and stored workflow, not its state
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("run_id", run.id());
        view.put("task", task);
        view.put("index", index);
        view.put("state", Views.state(i.state()));
        view.put("attempt", i.attempt());
        return view;
    }

    /**
     * Clears a task of a finished run ({@code ?downstream=true} its downstream tasks too, {@code ?failed_only=true} only
     * those that failed): they run again in the same run, with new attempt numbers and the upstream outputs kept.
     */
    Object clear(ApiRequest r) {
        Run run = runs.find(r.required("run"));
        String task = r.required("task");
        if (!workflows.of(run).tasks().containsKey(task)) {
            throw ApiError.notFound("no task '" + task + "' in run " + run.id() + "; tasks: "
                    + String.join(", ", workflows.taskOrder(run)));
        }
        refuseSandbox(run);
        List<String> tasks = new ArrayList<>(List.of(task));
        if (flag(r, "downstream")) {
            tasks.addAll(workflows.downstream(run, task));
        }
        List<String> cleared;
        try {
            cleared = control.clearTasks(run.id(), tasks, flag(r, "failed_only"), Instant.now());
        } catch (IllegalStateException e) {
            throw ApiError.conflict(e.getMessage());
        }
        if (cleared.isEmpty()) {
            throw ApiError.conflict("nothing to clear in run " + run.id() + ": none of " + tasks + " failed");
        }
        reopened.accept(run);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("run_id", run.id());
        view.put("cleared", cleared);
        return view;
    }

    private static boolean flag(ApiRequest r, String name) {
        String value = r.text(name);
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true") || value.isEmpty()) {
            return true;
        }
        throw ApiError.badRequest("?" + name + " must be true or false, got '" + value + "'");
    }

    private static void refuseSandbox(Run run) {
        String why = Sandbox.cannotContinue(run);
        if (why != null) {
            throw ApiError.conflict(why);
        }
    }

    private TaskInstance find(ApiRequest r) {
        String run = r.required("run");
        String task = r.required("task");
        int index = (int) r.number("index");
        return store.instance(run, task, index)
                .orElseThrow(() -> ApiError.notFound("no item " + task + "[" + index + "] in run '" + run + "'"));
    }

    private static TaskState state(String name) {
        if (name == null) {
            return null;
        }
        try {
            return TaskState.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("no item state '" + name + "'; states: "
                    + Arrays.stream(TaskState.values()).map(Views::state).toList());
        }
    }
}
